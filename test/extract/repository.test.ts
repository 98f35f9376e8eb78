import { describe, expect, it } from 'vitest';
import { NotebookPreview, Workflow } from '../../catalog/contract/index.js';
import { extractRepository } from '../../crawler/extract/index.js';
import { PYTHON_METADATA, code, imageOutput, json, md, memorySnapshot, nb4, png } from './helpers.js';

const good = json(nb4([md('# Good notebook\n\nIt works.'), code('import numpy', [imageOutput('image/png', png(40, 30))], 1)], PYTHON_METADATA));

function expectValid(result: Awaited<ReturnType<typeof extractRepository>>) {
  for (const workflow of result.workflows) {
    const verdict = Workflow.safeParse(workflow);
    expect(verdict.success, `${workflow.path}: ${verdict.error?.message}`).toBe(true);
    expect(NotebookPreview.safeParse(result.previews[workflow.id]).success).toBe(true);
  }
}

describe('extractRepository: bad input is normal input', () => {
  it('gives every bad notebook a record with a warning naming the file, and loses no sibling', async () => {
    const snapshot = memorySnapshot({
      'good.ipynb': good,
      'invalid.ipynb': '{"cells": [',
      'bom.ipynb': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(good)]),
      'latin1.ipynb': Buffer.from(json(nb4([md('# Caf\u00e9')])), 'latin1'),
      'nocells.ipynb': json({ nbformat: 4, nbformat_minor: 5, metadata: {} }),
      'cells-not-list.ipynb': json({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: {} }),
      'duplicate.ipynb': '{"nbformat": 4, "nbformat_minor": 4, "metadata": {}, "metadata": {"title": "Dup"}, "cells": []}',
      'deep.ipynb': `{"nbformat": 4, "nbformat_minor": 4, "cells": [], "metadata": {"x": ${'['.repeat(5000)}${']'.repeat(5000)}}}`,
      'array.ipynb': '[1, 2, 3]',
      'empty.ipynb': '',
      'v2.ipynb': json({ nbformat: 2, metadata: { name: 'old' }, worksheets: [] }),
      'unreadable.ipynb': { size: 10, fail: 'object not found' },
    });
    const result = await extractRepository(snapshot);
    expectValid(result);
    const byPath = Object.fromEntries(result.workflows.map((workflow) => [workflow.path, workflow]));
    expect(Object.keys(byPath).sort()).toEqual(snapshot.files.map((file) => file.path).sort());
    expect(byPath['good.ipynb']).toMatchObject({ title: 'Good notebook', description: 'It works.', imports: ['numpy'], warnings: [] });
    expect(byPath['bom.ipynb']).toMatchObject({ title: 'Good notebook', warnings: ['bom.ipynb: starts with a UTF-8 byte order mark (ignored)'] });
    const expectations: Record<string, RegExp> = {
      'invalid.ipynb': /^invalid\.ipynb: invalid JSON at line 1, column 12: .*truncated.*minimal record/,
      'latin1.ipynb': /^latin1\.ipynb: is not valid UTF-8/,
      'nocells.ipynb': /no "cells" list/,
      'cells-not-list.ipynb': /"cells" is object/,
      'duplicate.ipynb': /duplicate JSON keys \("metadata"\)/,
      'deep.ipynb': /nested \d+ levels deep/,
      'array.ipynb': /top level is a list/,
      'empty.ipynb': /the file ends early/,
      'v2.ipynb': /nbformat 2, which is obsolete/,
      'unreadable.ipynb': /could not be read: object not found; only a minimal record/,
    };
    for (const [path, pattern] of Object.entries(expectations)) {
      expect(byPath[path]!.warnings.join('\n'), path).toMatch(pattern);
      expect(byPath[path]!.warnings.every((warning) => warning.startsWith(`${path}: `)), path).toBe(true);
    }
    expect(byPath['latin1.ipynb']!.title).toBe('Caf\ufffd');
    expect(byPath['duplicate.ipynb']!.title).toBe('Dup');
    expect(byPath['invalid.ipynb']).toMatchObject({ title: 'invalid', nbformat: '0', kernel: null, cells: { code: 0, markdown: 0, raw: 0 } });
    expect(result.warnings.length).toBeGreaterThanOrEqual(Object.keys(expectations).length);
  });

  it('never reads a notebook over the size cap, yet records it', async () => {
    const snapshot = memorySnapshot({ 'big.ipynb': { size: 50 * 1024 * 1024 }, 'small.ipynb': good });
    const result = await extractRepository(snapshot);
    expect(snapshot.reads).toEqual(['small.ipynb']);
    const big = result.workflows.find((workflow) => workflow.path === 'big.ipynb')!;
    expect(big).toMatchObject({ title: 'big', size: 50 * 1024 * 1024 });
    expect(big.warnings[0]).toMatch(/^big\.ipynb: is 50\.0 MB, over the 20\.0 MB notebook cap; not read/);
    expect(result.previews[big.id]).toMatchObject({ cells: [], truncated: true });
    expectValid(result);
  });

  it('skips unsafe paths with a warning that shows them quoted, keeping the safe notebooks', async () => {
    const result = await extractRepository(memorySnapshot({ 'ok.ipynb': good, '../up.ipynb': good, 'bell\u0007.ipynb': good }));
    expect(result.workflows.map((workflow) => workflow.path)).toEqual(['ok.ipynb']);
    expect(result.repository.warnings).toEqual([
      '../up.ipynb: unsafe path (absolute, "..", backslash or control characters); not read',
      '"bell\\u0007.ipynb": unsafe path (absolute, "..", backslash or control characters); not read',
    ]);
  });

  it('checks the real size too, when the tree lied', async () => {
    const snapshot = memorySnapshot({ 'liar.ipynb': good });
    snapshot.files[0]!.size = 10;
    const result = await extractRepository(snapshot, { maxNotebookBytes: 100 });
    expect(result.workflows[0]!.warnings[0]).toMatch(/over the 100 B cap; not read/);
    expect(result.workflows[0]!.size).toBe(Buffer.byteLength(good));
  });
});

describe('extractRepository: repository metadata', () => {
  const files = {
    'README.md': '# Project\n\n[![Binder](https://mybinder.org/badge.svg)](https://mybinder.org)\n\nNotebooks for **VO** data discovery.\n',
    LICENSE: 'MIT License\n\nPermission is hereby granted, free of charge, to any person obtaining a copy ... The above copyright notice and this permission notice shall be included in all copies',
    'CITATION.cff': 'cff-version: 1.2.0\nauthors:\n  - given-names: Ada\n    family-names: Lovelace\nkeywords: [Astronomy]\n',
    'binder/requirements.txt': 'numpy\npyvo\n',
    'requirements.txt': 'ignored-because-binder-wins\n',
    'vo/metadata.json': json({ keywords: ['vo', 'tap'], description: 'Discover data</h1>' }),
    'vo/discover.ipynb': json(nb4([md('<h1>VO discovery</h1>'), code('import pyvo')], { ...PYTHON_METADATA, authors: [{ name: 'Grace Hopper' }] })),
    'tutorials/env.yml': 'not an env file',
    'tutorials/requirements.txt': 'astropy\n',
    'tutorials/t1/first.ipynb': good,
    'broken/metadata.json': '{"keywords": [',
    'broken/nb.ipynb': good,
  };

  it('reads licence, authors, description, environments, sidecars; each workflow inherits what applies to it', async () => {
    const result = await extractRepository(memorySnapshot(files, { topics: ['Jupyter'], fileDates: { 'vo/discover.ipynb': '2023-01-02T03:04:05Z', 'broken/nb.ipynb': 'yesterday' } }));
    expectValid(result);
    expect(result.repository).toMatchObject({
      description: 'Notebooks for VO data discovery.',
      license: 'MIT',
      authors: ['Ada Lovelace'],
      keywords: ['astronomy'],
      environment: { kind: 'pip', files: ['binder/requirements.txt'], packages: ['numpy', 'pyvo'] },
      notebooks: 3,
    });
    const [broken, tutorial, vo] = [...result.workflows].sort((a, b) => a.path.localeCompare(b.path));
    expect(vo).toMatchObject({
      title: 'VO discovery',
      description: 'Discover data',
      keywords: ['jupyter', 'tap', 'vo'],
      authors: ['Grace Hopper'],
      license: 'MIT',
      runtimePlatform: 'Python',
      updatedAt: '2023-01-02T03:04:05Z',
      environment: { kind: 'pip', files: ['binder/requirements.txt'] },
    });
    expect(tutorial).toMatchObject({ authors: ['Ada Lovelace'], environment: { kind: 'pip', files: ['tutorials/requirements.txt'], packages: ['astropy'] } });
    expect(tutorial!.thumbnail).toMatch(/^media\/[0-9a-f]{64}\.png$/);
    expect(result.media[tutorial!.thumbnail!]!.subarray(1, 4).toString()).toBe('PNG');
    expect(broken!.updatedAt).toBe('2024-03-01T10:00:00Z'); // an invalid date falls back to the commit date
    expect(result.repository.warnings.join('\n')).toMatch(/^broken\/metadata\.json: invalid JSON at line 1/m);
  });

  it('prefers codemeta over CITATION.cff over the LICENSE file over the forge', async () => {
    const withCodemeta = { ...files, 'codemeta.json': json({ license: 'Apache-2.0', description: 'From codemeta', author: [{ name: 'Codemeta Author' }] }) };
    const result = await extractRepository(memorySnapshot(withCodemeta, { forgeLicense: 'GPL-3.0', forgeDescription: 'From the forge' }));
    expect(result.repository).toMatchObject({ license: 'Apache-2.0', description: 'From codemeta', authors: ['Codemeta Author', 'Ada Lovelace'] });
    const bare = await extractRepository(memorySnapshot({ 'a.ipynb': good }, { forgeLicense: 'GPL-3.0', forgeDescription: 'From the forge' }));
    expect(bare.repository).toMatchObject({ license: 'GPL-3.0', description: 'From the forge' });
  });

  it('is deterministic: sorted workflows and media, identical across runs', async () => {
    const first = await extractRepository(memorySnapshot(files));
    const second = await extractRepository(memorySnapshot(files));
    expect(JSON.stringify(first)).toBe(JSON.stringify(second));
    const ids = first.workflows.map((workflow) => workflow.id);
    expect(ids).toEqual([...ids].sort());
    expect(Object.keys(first.media)).toEqual(Object.keys(first.media).sort());
  });
});

describe('extractRepository: a notebook of large base64 outputs', () => {
  it('stays bounded: preview within its cap, images within the per-image cap and count, a thumbnail chosen', async () => {
    const image = (index: number) => Buffer.concat([png(200 + index, 100), Buffer.alloc(400_000, index)]); // valid header, 400 kB
    const outputs = Array.from({ length: 30 }, (_, index) => imageOutput('image/png', image(index)));
    const tooBig = imageOutput('image/png', Buffer.concat([png(5000, 5000), Buffer.alloc(3 * 1024 * 1024)]));
    const notebook = json(nb4([md('# Plots'), code('plot()', [...outputs, tooBig], 1)], PYTHON_METADATA));
    expect(notebook.length).toBeGreaterThan(15_000_000);
    const result = await extractRepository(memorySnapshot({ 'plots.ipynb': notebook }));
    const [workflow] = result.workflows;
    const preview = result.previews[workflow!.id]!;
    expect(JSON.stringify(preview).length).toBeLessThanOrEqual(210_000);
    expect(Object.keys(result.media).length).toBeLessThanOrEqual(40);
    expect(Object.values(result.media).every((bytes) => bytes.length <= 2 * 1024 * 1024)).toBe(true);
    // The largest valid image (by area) is the thumbnail; the 5000×5000 one is over the cap and never decoded.
    const widest = preview.cells[1]!.outputs.find((output) => output.type === 'image' && output.width === 229);
    expect(widest).toBeDefined();
    expect(workflow!.thumbnail).toBe(widest?.type === 'image' ? widest.src : null);
    expect(workflow!.warnings.join()).toMatch(/an image\/png output was not used: image of about 3\.\d MB exceeds the 2\.0 MB cap/);
  });
});
