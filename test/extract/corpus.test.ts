/**
 * Integration: the extractor over the real repositories in ../shared/corpus (skipped loudly when absent, a failure
 * under CI=true). Asserts real values, and that every record passes the contract.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { NotebookPreview, Workflow } from '../../catalog/contract/index.js';
import { type ExtractResult, extractRepository } from '../../crawler/extract/index.js';
import { readPins, type CorpusPin } from '../../crawler/corpus/pins.js';
import { imageInfo } from '../../crawler/extract/media.js';
import { sharedCorpus } from '../support/debian.js';
import { corpusUrl, snapshotOf } from './snapshot.js';

const corpus = sharedCorpus('test/extract/corpus');
const results: Record<string, ExtractResult> = {};
let pins: CorpusPin[] = [];

/** Notebook files of a corpus folder, counted from the disk rather than by the extractor. */
function notebookFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ipynb'))
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}
/**
 * Text notebooks of a corpus folder, counted from the disk: markdown files whose front matter (between the first two
 * `---` lines) names jupytext or kernelspec. (The corpus leaves code files out, so no percent scripts are in it.)
 */
function textNotebookFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter((file) => {
      const lines = readFileSync(file, 'utf8').split('\n');
      const end = lines.indexOf('---', 1);
      return lines[0] === '---' && end > 0 && lines.slice(1, end).some((line) => /^(jupytext|kernelspec|jupyter):/.test(line));
    })
    .map((file) => path.relative(dir, file).split(path.sep).join('/'))
    .sort();
}
const byPath = (folder: string, file: string) => {
  const found = results[folder]!.workflows.find((workflow) => workflow.path === file);
  expect(found, `${folder}/${file}`).toBeDefined();
  return found!;
};

describe.skipIf(!corpus)('extraction over ../shared/corpus', () => {
  beforeAll(async () => {
    pins = await readPins(path.join(corpus!, 'SOURCES.tsv'));
    for (const pin of pins) results[pin.folder] = await extractRepository(await snapshotOf(path.join(corpus!, pin.folder), corpusUrl(pin.folder)));
  });

  it('SOURCES.tsv pins every folder of the corpus, and every pin has its folder', () => {
    const folders = readdirSync(corpus!, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    expect(pins.map((pin) => pin.folder).sort()).toEqual(folders.sort());
    expect(pins.length).toBeGreaterThan(0);
  });

  it('every notebook file of every pinned repository becomes one workflow, .ipynb and text notebooks alike, and nothing else does', () => {
    let text = 0;
    for (const pin of pins) {
      const workflows = results[pin.folder]!.workflows;
      const dir = path.join(corpus!, pin.folder);
      expect(workflows.filter((w) => w.format === 'ipynb').map((w) => w.path).sort(), pin.fullName).toEqual(notebookFiles(dir));
      expect(workflows.filter((w) => w.format !== 'ipynb').map((w) => w.path).sort(), pin.fullName).toEqual(textNotebookFiles(dir));
      text += textNotebookFiles(dir).length;
    }
    expect(text).toBeGreaterThan(0);
  });

  it('NASA NAVO workshop: 12 MyST notebooks, Python, with the .binder environment and no README among them', () => {
    const workflows = results['NASA-NAVO__navo-workshop']!.workflows;
    expect(workflows).toHaveLength(12);
    expect(new Set(workflows.map((workflow) => workflow.format))).toEqual(new Set(['myst']));
    expect(new Set(workflows.map((workflow) => workflow.language))).toEqual(new Set(['python']));
    expect(workflows.every((workflow) => workflow.path.startsWith('content/') && workflow.environment?.kind === 'pip' && workflow.cells.code > 0)).toBe(true);
    expect(byPath('NASA-NAVO__navo-workshop', 'content/reference_notebooks/catalog_queries.md')).toMatchObject({ title: 'Catalog Queries', kernel: { name: 'python3' } });
    expect(byPath('NASA-NAVO__navo-workshop', 'content/reference_notebooks/catalog_queries.md').imports).toEqual(expect.arrayContaining(['astropy', 'pyvo']));
  });

  it('produces records that all pass the zod schemas, with valid media', () => {
    for (const result of Object.values(results)) {
      for (const workflow of result.workflows) {
        const verdict = Workflow.safeParse(workflow);
        expect(verdict.success, `${workflow.path}: ${verdict.error?.message}`).toBe(true);
        expect(NotebookPreview.safeParse(result.previews[workflow.id]).success, workflow.path).toBe(true);
        if (workflow.thumbnail) expect(result.media[workflow.thumbnail], workflow.path).toBeDefined();
      }
      for (const [name, bytes] of Object.entries(result.media)) expect(imageInfo(bytes)?.format, name).toBe(name.endsWith('.png') ? 'png' : 'jpg');
    }
  });

  it('ESAP-WP5: titles from the <h1>, sidecar keywords and descriptions without stray HTML', () => {
    const title = 'Workflow for discovering, querying and visualizing astronomy data in the VO';
    expect(byPath('ESAP-WP5__notebooks', 'vo/discovery/stv_1_datadiscovery/VO_Data_Discovery.ipynb')).toMatchObject({
      title,
      description: 'Workflow for discovering astronomy data in the VO',
      keywords: ['access', 'discovery', 'vo'],
      license: 'GPL-3.0',
      runtimePlatform: 'Python',
      imports: ['pyvo'],
    });
    expect(byPath('ESAP-WP5__notebooks', 'vo/access/stv_1_data_access/VO Data Discovery & Access.ipynb')).toMatchObject({
      title,
      description: 'Workflow for discovering and accessing astronomy data in the VO',
      keywords: ['access', 'discovery', 'vo'],
    });
    const visual = byPath('ESAP-WP5__notebooks', 'vo/visualization/stv_1_datavisualization/VO_Discover_Access_Visualization.ipynb');
    expect(visual).toMatchObject({ title, description: 'Workflow for discovering, querying and visualizing astronomy data in the VO', keywords: ['access', 'aladin', 'discovery', 'vo'] });
    expect(visual.imports).toEqual(expect.arrayContaining(['astropy', 'ipyaladin', 'pyvo']));
    expect(results['ESAP-WP5__notebooks']!.repository.description).toMatch(/^List of notebooks, aimed to encapsulate Science workflows/);
  });

  it('astropy-tutorials: 25 Python tutorials whose top imports are astropy, numpy, matplotlib', () => {
    const workflows = results['astropy__astropy-tutorials']!.workflows;
    expect(workflows).toHaveLength(25);
    expect(new Set(workflows.map((workflow) => workflow.language))).toEqual(new Set(['python']));
    const counts = new Map<string, number>();
    for (const workflow of workflows) for (const name of workflow.imports) counts.set(name, (counts.get(name) ?? 0) + 1);
    const top = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 3);
    expect(top).toEqual([
      ['astropy', 25],
      ['matplotlib', expect.any(Number)],
      ['numpy', expect.any(Number)],
    ]);
    const header = byPath('astropy__astropy-tutorials', 'tutorials/FITS-header/FITS-header.ipynb');
    expect(header).toMatchObject({
      title: 'Edit a FITS header',
      keywords: ['file input/output', 'fits'],
      authors: ['Adrian Price-Whelan', 'Adam Ginsburg', 'Stephanie T. Douglas', 'Kelle Cruz'],
      license: 'BSD-3-Clause',
      environment: { kind: 'pip', files: ['tutorials/FITS-header/requirements.txt'] },
    });
    expect(header.description).toMatch(/^This tutorial describes how to read in and edit a FITS header/);
  });

  it('binder-examples: the Julia and R kernels, their imports and environments', () => {
    expect(byPath('binder-examples__julia-python', 'julia.ipynb')).toMatchObject({
      kernel: { name: 'julia-1.10', displayName: 'Julia 1.10.3', language: 'julia' },
      language: 'julia',
      runtimePlatform: 'Julia',
      imports: ['PyPlot'],
      environment: { kind: 'julia', files: ['Project.toml', 'environment.yml'] },
      execution: { hasOutputs: true, inOrder: true },
    });
    const r = byPath('binder-examples__r', 'index.ipynb');
    expect(r).toMatchObject({ kernel: { name: 'ir', displayName: 'R', language: 'r' }, language: 'r', runtimePlatform: 'R', imports: ['ggplot2'], environment: { kind: 'r', files: ['runtime.txt'] } });
    expect(r.thumbnail).toMatch(/^media\/[0-9a-f]{64}\.png$/);
    expect(byPath('binder-examples__requirements', 'index.ipynb')).toMatchObject({
      title: 'Welcome to an example Binder',
      imports: ['matplotlib', 'numpy', 'scipy', 'seaborn'],
      environment: { kind: 'pip', packages: expect.arrayContaining(['seaborn', 'numpy']) },
    });
  });

  it('jupyter/nbformat: every invalid test notebook handled with a warning naming it; valid ones clean', () => {
    const invalid = [
      'invalid.ipynb',
      'invalid_cell_id.ipynb',
      'invalid_unique_cell_id.ipynb',
      'v4_5_invalid_metadata.ipynb',
      'v4_5_no_cell_id.ipynb',
      'no_min_version.ipynb',
      'test3_no_min_version.ipynb',
      'test3_no_worksheets.ipynb',
      'test3_worksheet_with_no_cells.ipynb',
      'test2.ipynb',
    ];
    for (const file of invalid) {
      const workflow = byPath('jupyter__nbformat', `tests/${file}`);
      expect(workflow.warnings.length, file).toBeGreaterThan(0);
      expect(workflow.warnings.every((warning) => warning.startsWith(`tests/${file}: `)), file).toBe(true);
    }
    for (const file of ['test3.ipynb', 'test4.ipynb', 'test4.5.ipynb', 'many_tracebacks.ipynb']) {
      expect(byPath('jupyter__nbformat', `tests/${file}`).warnings, file).toEqual([]);
    }
    expect(byPath('jupyter__nbformat', 'tests/test3.ipynb')).toMatchObject({ nbformat: '3.0', language: 'python', cells: { code: 4, markdown: 5, raw: 0 } });
    expect(byPath('jupyter__nbformat', 'tests/test2.ipynb')).toMatchObject({ nbformat: '2' });
    const tracebacks = results['jupyter__nbformat']!.previews[byPath('jupyter__nbformat', 'tests/many_tracebacks.ipynb').id]!;
    const error = tracebacks.cells[0]!.outputs[0]!;
    expect(error.type === 'error' && error.traceback).toMatch(/NameError: name 'iAmNotDefined' is not defined/);
    expect(JSON.stringify(tracebacks)).not.toContain('\\u001b');
  });
});
