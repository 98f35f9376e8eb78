/** catalog/curated.yaml validation: every rejection at its line and column, good entries kept, the committed file valid. */
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { CuratedList, CuratedWorkflow, sameImage } from '../../catalog/contract/index.js';
import { captureConsole } from '../support/console.js';
import { annotation, validateCurated, validateYaml } from '../../catalog/validate/index.js';
import { main } from '../../crawler/cli/index.js';
import { where } from './helpers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const check = (text: string, workflowIds?: Set<string>) => validateCurated(text, 'catalog/curated.yaml', { workflowIds, workflowsFile: 'catalog/workflows.json' });

/** A valid curated entry as YAML list item lines, with fields overridden or (value null) removed. */
function curatedYaml(id: string, overrides: Record<string, string | null> = {}): string {
  const fields: Record<string, string | null> = {
    id,
    title: `Tool ${id}`,
    workflowType: 'desktop',
    description: `What ${id} does.`,
    homepage: `https://${id}.example.org/`,
    ...overrides,
  };
  const lines = Object.entries(fields)
    .filter((entry): entry is [string, string] => entry[1] !== null)
    .map(([key, value], index) => `${index === 0 ? '- ' : '  '}${key}: ${value}`);
  return `${lines.join('\n')}\n`;
}

describe('curated.yaml rejections, with positions', () => {
  it('accepts a desktop entry and a container entry, filling in empty keyword and author lists', () => {
    const { curated, problems } = check(curatedYaml('a') + curatedYaml('b', { workflowType: 'container', image: 'jupyter/scipy-notebook:2023-10-20', languages: '[python]' }));
    expect(problems).toEqual([]);
    expect(curated.map((entry) => [entry.id, entry.workflowType, entry.image ?? null, entry.keywords])).toEqual([
      ['a', 'desktop', null, []],
      ['b', 'container', 'jupyter/scipy-notebook:2023-10-20', []],
    ]);
  });

  it('bad YAML syntax: one line-precise message and no entry trusted', () => {
    const { curated, problems } = check(`${curatedYaml('a')}- id: b\n  title: [unclosed\n  homepage: x\n`);
    expect(curated).toEqual([]);
    expect(problems.map((p) => p.text)).toEqual([
      'catalog/curated.yaml:8:3: (syntax): Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
  });

  it('a document that is not a list says so', () => {
    expect(check('id: a\ntitle: A\n').problems.map((p) => p.text)).toEqual([
      'catalog/curated.yaml:1:1: (document): must be a list of curated workflows (each entry starting with "- "), got a mapping',
    ]);
  });

  it('an unknown key points at the key, with the near spelling', () => {
    const { problems, curated } = check(curatedYaml('a', { licence: 'MIT' }) + curatedYaml('b'));
    expect(problems.map((p) => p.text)).toEqual(['catalog/curated.yaml:6:3: [0].licence: unknown key "licence"; did you mean "license"?']);
    expect(curated.map((entry) => entry.id)).toEqual(['b']);
  });

  it.each([
    ['javascript:alert(1)', 'URL scheme "javascript:" is not allowed; only https (or http where stated) URLs are accepted'],
    ['http://a.example.org/', 'must be an https:// URL'],
    ['https://127.0.0.1/', 'host "127.0.0.1" is a loopback address (this machine); give a public address'],
    ['https://user:secret@a.example.org/', expect.stringContaining('must not carry credentials')],
  ])('refuses the homepage %s with one message on its value', (url, message) => {
    const { problems } = check(curatedYaml('a', { homepage: url }));
    expect(where(problems)).toEqual(['5:13 [0].homepage']);
    expect(problems[0]!.message).toEqual(message);
  });

  it('a container needs an image in Docker Hub form; a desktop tool has none', () => {
    const missing = check(curatedYaml('a', { workflowType: 'container' }));
    expect(missing.problems.map((p) => p.text)).toEqual(['catalog/curated.yaml:1:3: [0].image: a container entry needs `image: NAMESPACE/NAME[:TAG]`']);
    const malformed = check(curatedYaml('a', { workflowType: 'container', image: 'Jupyter/SciPy' }));
    expect(where(malformed.problems)).toEqual(['6:10 [0].image']);
    expect(malformed.problems[0]!.message).toContain('NAMESPACE/NAME or NAMESPACE/NAME:TAG');
    expect(where(check(curatedYaml('a', { workflowType: 'container', image: 'scipy-notebook' })).problems)).toEqual(['6:10 [0].image']);
    const stray = check(curatedYaml('a', { image: 'jupyter/scipy-notebook' }));
    expect(stray.problems.map((p) => p.text)).toEqual(['catalog/curated.yaml:6:10: [0].image: only a container entry has an image; remove it or set `workflowType: container`']);
  });

  it('an unknown workflow type lists the allowed ones', () => {
    const { problems } = check(curatedYaml('a', { workflowType: 'notebook' }));
    expect(problems.map((p) => p.text)).toEqual(['catalog/curated.yaml:3:17: [0].workflowType: "notebook" is not allowed; use one of "desktop", "container"']);
  });

  it('a duplicate id is reported at the second one, naming the first line; the first stays usable', () => {
    const { problems, curated } = check(curatedYaml('a') + curatedYaml('b') + curatedYaml('a', { title: 'Again' }));
    expect(problems.map((p) => p.text)).toEqual(['catalog/curated.yaml:11:7: [2].id: duplicate id "a": already used on line 1; ids must be unique']);
    expect(curated.map((entry) => entry.title)).toEqual(['Tool a', 'Tool b']);
  });

  it("an id that is a crawled workflow's id is refused, naming the catalog file", () => {
    const { problems, curated } = check(curatedYaml('a') + curatedYaml('astropy-tutorials-fits'), new Set(['astropy-tutorials-fits']));
    expect(problems.map((p) => p.text)).toEqual([
      "catalog/curated.yaml:6:7: [1].id: id \"astropy-tutorials-fits\" is already a crawled workflow's id in catalog/workflows.json; choose another id",
    ]);
    expect(curated.map((entry) => entry.id)).toEqual(['a']);
  });

  it('an id in the form of a crawled workflow id (ending in 16 hex digits) is refused, so no crawl can take it later', () => {
    const { problems } = check(curatedYaml('my-tool-0123456789abcdef'));
    expect(problems.map((p) => p.text)).toEqual([
      "catalog/curated.yaml:1:7: [0].id: ids ending in a hyphen and 16 hex digits are the form of crawled workflows' ids; choose one without that ending",
    ]);
    expect(check(curatedYaml('my-tool-0123456789abcde')).problems).toEqual([]);
  });

  it('problems become GitHub annotations on their line', () => {
    const [first] = check(curatedYaml('a', { homepage: 'http://a.example.org/' })).problems;
    expect(annotation(first!)).toBe('::error file=catalog/curated.yaml,line=5,col=13::[0].homepage: must be an https%3A// URL'.replace('%3A', ':'));
  });
});

describe('the contract for curated entries', () => {
  it('compares image references the way docker pull reads them', () => {
    expect(sameImage('jupyter/scipy-notebook:2023-10-20', 'docker.io/jupyter/scipy-notebook')).toBe(true);
    expect(sameImage('jupyter/scipy-notebook:2023-10-20', 'jupyter/scipy-notebook:2024-01-01')).toBe(false);
    expect(sameImage('python:3.12', 'docker.io/library/python')).toBe(true);
    expect(sameImage('quay.io/jupyter/scipy-notebook', 'jupyter/scipy-notebook')).toBe(false);
    expect(sameImage('jupyter/scipy-notebook-extra', 'jupyter/scipy-notebook')).toBe(false);
    expect(sameImage('Not An Image', 'Not An Image')).toBe(false);
  });

  it('is strict: a record with an extra field or a missing homepage does not parse', () => {
    const base = { id: 'a', title: 'A', workflowType: 'desktop', description: 'd', homepage: 'https://a.example.org/' };
    expect(CuratedWorkflow.safeParse(base).success).toBe(true);
    expect(CuratedWorkflow.safeParse({ ...base, extra: 1 }).success).toBe(false);
    expect(CuratedWorkflow.safeParse({ ...base, homepage: undefined }).success).toBe(false);
    expect(CuratedWorkflow.safeParse({ ...base, license: 'GPL 3 <script>' }).success).toBe(false);
  });

  it('the committed catalog/curated.yaml is valid, has both kinds and declares its JSON Schema for editors', () => {
    const text = readFileSync(path.join(root, 'catalog/curated.yaml'), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./schema/curated.schema.json');
    const { curated, problems } = validateCurated(text, 'catalog/curated.yaml');
    expect(problems).toEqual([]);
    expect(new Set(curated.map((entry) => entry.workflowType))).toEqual(new Set(['desktop', 'container']));
    expect(validateYaml(text, 'catalog/curated.yaml', CuratedList).problems).toEqual([]);
    const schema = JSON.parse(readFileSync(path.join(root, 'catalog/schema/curated.schema.json'), 'utf8'));
    expect(schema.items.additionalProperties).toBe(false);
    expect(schema.items.required).toEqual(expect.arrayContaining(['id', 'title', 'workflowType', 'description', 'homepage']));
  });
});

describe('ida-catalog validate --curated', () => {
  const { out, err } = captureConsole();

  async function catalogWith(curated: string, workflowIds: string[]): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), 'ida-curated-'));
    await writeFile(path.join(dir, 'curated.yaml'), curated);
    await writeFile(path.join(dir, 'workflows.json'), JSON.stringify({ schemaVersion: 1, kind: 'workflows', items: workflowIds.map((id) => ({ id })) }));
    return dir;
  }

  it('exits 1 with FILE:LINE:COL problems and annotations under GitHub Actions, ids checked against the catalog named', async () => {
    vi.stubEnv('GITHUB_ACTIONS', 'true');
    const dir = await catalogWith(curatedYaml('taken') + curatedYaml('b', { homepage: 'ftp://b.example.org/' }), ['taken']);
    const file = path.join(dir, 'curated.yaml');
    expect(await main(['validate', '--curated', file, '--catalog', dir])).toBe(1);
    expect(err.slice(0, 2)).toEqual([
      `${file}:1:7: [0].id: id "taken" is already a crawled workflow's id in ${path.join(dir, 'workflows.json')}; choose another id`,
      `${file}:10:13: [1].homepage: URL scheme "ftp:" is not allowed; only https (or http where stated) URLs are accepted`,
    ]);
    expect(out).toContain(`::error file=${file},line=1,col=7::[0].id: id "taken" is already a crawled workflow's id in ${path.join(dir, 'workflows.json')}; choose another id`);
    expect(out).toContain(`${file}: 2 problems; 0 curated workflows valid apart from them`);
  });

  it('exits 0 on a valid file, and 2 when a named file is missing', async () => {
    const dir = await catalogWith(curatedYaml('a'), ['b']);
    expect(await main(['validate', '--curated', path.join(dir, 'curated.yaml')])).toBe(0);
    expect(out.join('\n')).toContain('curated.yaml: valid, 1 curated workflow');
    expect(await main(['validate', '--curated', path.join(dir, 'nope.yaml')])).toBe(2);
    expect(err.join('\n')).toMatch(/cannot read .*nope\.yaml: ENOENT/);
  });
});
