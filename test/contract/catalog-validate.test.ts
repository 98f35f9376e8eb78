/** `validate --catalog`: the JSON catalog files against the contract, with positions, and the cross-checks. */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NotebookPreview, Repository, Workflow } from '../../catalog/contract/index.js';
import { validateCatalog } from '../../catalog/validate/index.js';
import { makeRepository, makeWorkflow } from '../support/records.js';

const COMMIT = 'a'.repeat(40);
const THUMB = `media/${'b'.repeat(64)}.png`;
const REPO_URL = 'https://github.com/example/notebooks';

function repository(url = REPO_URL): Repository {
  return makeRepository({ url, fullName: 'example/notebooks', source: 'github-org-example', license: 'MIT', commit: COMMIT });
}

function workflow(id: string, overrides: Partial<Workflow> = {}): Workflow {
  return makeWorkflow({
    id,
    title: `Workflow ${id}`,
    repository: { url: REPO_URL, provider: 'github', ref: 'main', commit: COMMIT },
    path: `${id}.ipynb`,
    ...overrides,
  });
}

function preview(id: string, src = THUMB): NotebookPreview {
  return {
    schemaVersion: 1,
    id,
    language: 'python',
    truncated: false,
    cells: [{ type: 'code', source: 'plot()', executionCount: 1, outputs: [{ type: 'image', src, width: 10, height: 10 }] }],
  };
}

const envelope = (kind: string, items: unknown[]) => `${JSON.stringify({ schemaVersion: 1, kind, items }, null, 2)}\n`;

async function catalog(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ida-catalog-'));
  await mkdir(path.join(dir, 'media'));
  await mkdir(path.join(dir, 'previews'));
  await writeFile(path.join(dir, THUMB), 'png');
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, name), content);
  return dir;
}

/**
 * line:col of the value in the `nth` occurrence of `"key": value` in a JSON text, found by plain string
 * search: an oracle independent of the yaml library the validator uses.
 */
function valueAt(text: string, key: string, value: string, nth = 0): string {
  const needle = `"${key}": ${value}`;
  let offset = -1;
  for (let i = 0; i <= nth; i += 1) offset = text.indexOf(needle, offset + 1);
  if (offset < 0) throw new Error(`${needle} not found`);
  offset += `"${key}": `.length;
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${before[before.length - 1]!.length + 1}`;
}

/** Problems as `file:line:col path: message` with the temporary directory cut off. */
async function problemsIn(dir: string): Promise<string[]> {
  const { problems } = await validateCatalog(dir);
  return problems.map((p) => `${path.relative(dir, p.file)}:${p.line}:${p.col} ${p.path}: ${p.message}`);
}

describe('validateCatalog', () => {
  it('accepts a consistent catalog and counts it', async () => {
    const dir = await catalog({
      'workflows.json': envelope('workflows', [workflow('one', { thumbnail: THUMB }), workflow('two')]),
      'repositories.json': envelope('repositories', [repository()]),
      'images.json': envelope('images', []),
      'previews/one.json': JSON.stringify(preview('one')),
    });
    expect(await validateCatalog(dir)).toEqual({ problems: [], summary: { workflows: 2, repositories: 1, images: 0, previews: 1 } });
  });

  it('a catalog without workflows.json or repositories.json is refused, each named with what to do', async () => {
    const problems = await problemsIn(await catalog({}));
    expect(problems).toEqual([
      expect.stringMatching(/^repositories\.json:1:1 \(document\): missing; the catalog has no repositories\.json: create the catalog with `npx ida-catalog crawl`/),
      expect.stringMatching(/^workflows\.json:1:1 \(document\): missing; the catalog has no workflows\.json: .*restore the file from git \(`git checkout -- catalog\/workflows\.json`\).*an empty catalog is a file with an empty list/),
    ]);
    expect(await problemsIn(await catalog({ 'repositories.json': envelope('repositories', []) }))).toEqual([expect.stringMatching(/^workflows\.json:1:1 \(document\): missing/)]);
  });

  it('an empty catalog is empty lists; images.json may be absent (no container images harvested)', async () => {
    const dir = await catalog({ 'workflows.json': envelope('workflows', []), 'repositories.json': envelope('repositories', []) });
    expect(await validateCatalog(dir)).toEqual({ problems: [], summary: { workflows: 0, repositories: 0, images: 0, previews: 0 } });
  });

  it('locates schema problems in JSON by line and column', async () => {
    const workflows = envelope('workflows', [workflow('one'), workflow('Two', { language: 'Python' })]);
    const dir = await catalog({ 'workflows.json': workflows, 'repositories.json': envelope('repositories', [repository()]) });
    expect(valueAt(workflows, 'id', '"Two"')).toBe('43:13');
    expect(await problemsIn(dir)).toEqual([
      `workflows.json:${valueAt(workflows, 'id', '"Two"')} items[1].id: must be a slug: lower-case letters, digits and single hyphens, e.g. "roe-edinburgh"`,
      `workflows.json:${valueAt(workflows, 'language', '"Python"')} items[1].language: must be lower case`,
    ]);
  });

  it('reports JSON syntax errors with their position', async () => {
    const dir = await catalog({
      'workflows.json': envelope('workflows', []),
      'repositories.json': envelope('repositories', []),
      'images.json': '{\n  "schemaVersion": 1,\n  "kind": "images",\n  "items": [,]\n}\n',
    });
    const [only, ...rest] = await problemsIn(dir);
    expect(rest).toEqual([]);
    expect(only).toMatch(/^images\.json:4:\d+ \(syntax\): not valid JSON: /);
  });

  it('cross-checks: duplicate workflow ids, unknown repositories, missing media', async () => {
    const workflows = envelope('workflows', [
      workflow('one'),
      workflow('one'),
      workflow('three', { repository: { url: 'https://github.com/example/gone', provider: 'github', ref: 'main', commit: COMMIT } }),
      workflow('four', { thumbnail: `media/${'c'.repeat(64)}.png` }),
    ]);
    const missingImage = `media/${'d'.repeat(64)}.jpg`;
    const onePreview = JSON.stringify(preview('one', missingImage), null, 1);
    const dir = await catalog({
      'workflows.json': workflows,
      'repositories.json': envelope('repositories', [repository()]),
      'previews/one.json': onePreview,
      'previews/orphan.json': JSON.stringify(preview('orphan'), null, 1),
      'previews/named.json': JSON.stringify(preview('other'), null, 1),
    });
    expect(await problemsIn(dir)).toEqual([
      'previews/named.json:3:8 id: id "other" does not match the file name named.json',
      `previews/one.json:${valueAt(onePreview, 'src', `"${missingImage}"`)} cells[0].outputs[0].src: ${missingImage} does not exist in the catalog directory`,
      'previews/orphan.json:3:8 id: no workflow "orphan" in workflows.json for this preview',
      `workflows.json:${valueAt(workflows, 'id', '"one"', 1)} items[1].id: duplicate workflow id "one" (first at items[0])`,
      `workflows.json:${valueAt(workflows, 'url', '"https://github.com/example/gone"')} items[2].repository.url: repository "https://github.com/example/gone" is not in repositories.json`,
      `workflows.json:${valueAt(workflows, 'thumbnail', `"media/${'c'.repeat(64)}.png"`)} items[3].thumbnail: media/${'c'.repeat(64)}.png does not exist in the catalog directory`,
    ]);
  });

  it('an invalid item costs only itself: the others are still cross-checked', async () => {
    const dir = await catalog({
      'workflows.json': envelope('workflows', [{ ...workflow('bad'), size: -1 }, workflow('good', { thumbnail: `media/${'e'.repeat(64)}.png` })]),
      'repositories.json': envelope('repositories', [repository()]),
    });
    const problems = await problemsIn(dir);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^workflows\.json:\d+:\d+ items\[0\]\.size: /);
    expect(problems[1]).toMatch(/^workflows\.json:\d+:\d+ items\[1\]\.thumbnail: media\/e+\.png does not exist/);
  });
});
