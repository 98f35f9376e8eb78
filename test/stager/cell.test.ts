/**
 * The staging cell's shared parts: language choice, the checks on the target folder and the data sets,
 * file names, the Markdown fallback (rendered by marked, its shell block run by sh with stub commands)
 * and withStagingCell (validated by Debian's nbformat). The per-language code is run in cell-*.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ICell, INotebookContent } from '@jupyterlab/nbformat';
import { Parser } from 'htmlparser2';
import { marked } from 'marked';
import { afterAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../catalog/contract/index.js';
import { STAGING_TAG, cellText, checkInto, safeFileName, stagingCell, stagingLanguage, stagingSteps, withStagingCell } from '../../stager/cell/index.js';
import { displayUrl } from '../../stager/cell/markdown.js';
import { requireDebianPackages } from '../support/debian.js';

const work = mkdtempSync(join(tmpdir(), 'ida-cell-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const url = (path: string): Dataset => ({ url: `https://data.example.org/${path}`, kind: 'url', title: 't' });

describe('stagingLanguage and stagingCell', () => {
  it('knows Python, R and Julia whatever the case; anything else gets Markdown', () => {
    expect(['python', 'Python', 'python3', 'IPython', 'R', 'r', 'julia', 'Julia', ' R '].map(stagingLanguage)).toEqual(['python', 'python', 'python', 'python', 'r', 'r', 'julia', 'julia', 'r']);
    expect(['octave', 'bash', 'rust', '', 'pythonic', 'c++'].map(stagingLanguage)).toEqual([null, null, null, null, null, null]);
  });

  it('a code cell (no outputs, not run) or a Markdown cell, tagged ida-staging either way', () => {
    const plan = { into: 'repo/data', datasets: [url('a.fits')] };
    expect(stagingCell('python', plan)).toMatchObject({ cell_type: 'code', metadata: { tags: [STAGING_TAG] }, outputs: [], execution_count: null });
    expect(stagingCell('octave', plan)).toMatchObject({ cell_type: 'markdown', metadata: { tags: [STAGING_TAG] } });
    expect(stagingCell('octave', plan)).not.toHaveProperty('outputs');
  });
});

describe('the target folder and the data sets are checked', () => {
  it('refuses a folder outside the home, naming the problem', () => {
    const cases: [string, RegExp][] = [
      ['/etc', /absolute/], ['~/x', /absolute/], ['../x', /"\.\." segment/], ['a/../../b', /"\.\." segment/], ['a\\b', /backslash/],
      ['a\nb', /control/], ['a\u202eb', /invisible/], ['a\u2028b', /control/], ['', /names no folder/], ['./.', /names no folder/],
    ];
    for (const [into, problem] of cases) {
      expect(() => checkInto(into), into).toThrow(problem);
      for (const language of ['python', 'r', 'julia', 'octave']) expect(() => stagingCell(language, { into, datasets: [url('a')] })).toThrow(problem);
    }
    expect(checkInto('a//b/./c/')).toBe('a/b/c');
    expect(checkInto(`it's "$HOME" (1)/data`)).toBe(`it's "$HOME" (1)/data`);
  });

  it('refuses non-web URLs, NUL, broken Unicode, a DOI without its id and a malformed Rucio DID', () => {
    const refused: [Dataset, RegExp][] = [
      [{ url: 'javascript:alert(1)', kind: 'url', title: 't' }, /only http\(s\)/],
      [{ url: 'file:///etc/passwd', kind: 'url', title: 't' }, /only http\(s\)/],
      [{ url: ' https://e.org/a', kind: 'url', title: 't' }, /only http\(s\)/],
      [{ url: 'https://e.org/a\u0000', kind: 'url', title: 't' }, /NUL/],
      [{ url: 'https://e.org/\ud800', kind: 'url', title: 't' }, /surrogate/],
      [{ url: 'https://doi.org/10.1/x', kind: 'doi', title: 't' }, /needs its DOI/],
      [{ url: 'https://r.org/', kind: 'rucio', title: 't', id: '-x:--dir=/etc' }, /not a Rucio DID/],
      [{ url: 'https://r.org/', kind: 'rucio', title: 't', id: 'a b:c' }, /not a Rucio DID/],
      [{ url: 'https://r.org/', kind: 'rucio', title: 't' }, /not a Rucio DID/],
      [{ url: 'https://r.org/', kind: 'ftp', title: 't' } as unknown as Dataset, /unknown kind "ftp"/],
    ];
    expect(() => stagingCell('python', { into: 'd', datasets: [] })).toThrow(/no data sets to stage/);
    for (const [dataset, problem] of refused) expect(() => stagingSteps({ into: 'd', datasets: [url('ok'), dataset] })).toThrow(new RegExp(`data set 2.*${problem.source}`));
  });

  it('file names: last path segment, decoded, made safe; a fallback when nothing is left; duplicates numbered', () => {
    const names = stagingSteps({
      into: 'd',
      datasets: [
        url('a/b/hdf.fits?x=/y.z#/w'), url(''), url('%2e%2e'), url('..%2F..%2F.bashrc'), url('x/.hidden'), url('-rf'),
        url('caf%C3%A9%20menu.csv'), url('%E0%A4%A'), url(`${'n'.repeat(300)}.fits`), url('c/hdf.fits'), url('d/hdf.fits'),
      ],
    }).steps.map((step) => (step.kind === 'download' ? step.name : ''));
    expect(names).toEqual([
      'hdf.fits', 'dataset-2', 'dataset-3', '_.._.bashrc', 'hidden', 'rf', 'caf__menu.csv', '_E0_A4_A', `${'n'.repeat(115)}.fits`, 'hdf-2.fits', 'hdf-3.fits',
    ]);
    expect(safeFileName('...', 'fallback')).toBe('fallback');
    expect(safeFileName('///', 'fallback')).toBe('fallback');
  });

  it('TAP: an async request is fetched as its sync form; service, query and MAXREC are split for pyvo', () => {
    const [step] = stagingSteps({ into: 'd', datasets: [{ url: 'https://t.org/tap/async/?lang=ADQL&query=SELECT%201&maxrec=9', kind: 'tap', title: 't' }] }).steps;
    expect(step).toEqual({ kind: 'tap', title: 't', url: 'https://t.org/tap/sync/?lang=ADQL&query=SELECT%201&maxrec=9', name: 'tap-result-1.xml', service: 'https://t.org/tap', query: 'SELECT 1', maxrec: 9 });
    const [other] = stagingSteps({ into: 'd', datasets: [{ url: 'https://t.org/tap/sync?LANG=PQL&QUERY=x', kind: 'tap', title: 't' }] }).steps;
    expect(other).toMatchObject({ service: null, query: null });
  });
});

describe('the Markdown cell (kernels without staging code)', () => {
  const TITLE = `<img src=x onerror=alert(1)> <script>alert(2)</script> [link](javascript:alert(3)) **b** $x$ \`c\` &lt; \n# heading\r\n- item \u2028|t|`;
  const datasets: Dataset[] = [
    { url: `https://data.example.org/a b/<x>"'()/file.fits?q=1&lt;&r=\`id\`$(touch pwned)`, kind: 'url', title: TITLE },
    { url: 'https://tap.example.org/tap/sync?QUERY=SELECT%20%27x%27', kind: 'tap', title: TITLE },
    { url: 'https://doi.org/10.1000/x', kind: 'doi', title: TITLE, id: '10.1000/x<b>' },
    { url: 'https://rucio.example.org/did?scope=s&name=n', kind: 'rucio', title: TITLE, id: 's:n' },
  ];
  const into = "it's ```$(touch pwned)/data";
  const source = cellText(stagingCell('octave', { into, datasets }));

  it('renders as headings, text, links and one code block only: titles stay text, links go where they should', () => {
    const html = marked.parse(source, { async: false });
    const tags = new Set<string>();
    const hrefs: string[] = [];
    const linkTexts: string[] = [];
    let inLink = false;
    new Parser({
      onopentag(name, attributes) {
        tags.add(name);
        expect(Object.keys(attributes).filter((key) => !(name === 'a' && key === 'href') && !(name === 'code' && key === 'class'))).toEqual([]);
        if (name === 'a') (hrefs.push(attributes.href!), linkTexts.push(''), (inLink = true));
      },
      ontext(text) {
        if (inLink) linkTexts[linkTexts.length - 1] += text;
      },
      onclosetag(name) {
        if (name === 'a') inLink = false;
      },
    }, { decodeEntities: true }).end(html);
    expect([...tags].sort()).toEqual(['a', 'code', 'h2', 'li', 'ol', 'p', 'pre']);
    expect(hrefs).toEqual(datasets.map((dataset) => displayUrl(dataset.url)));
    const shown = TITLE.replace(/[\r\n\u2028]/g, ' ').replace(/\s+/g, ' ').trim();
    expect(linkTexts).toEqual(datasets.map(() => shown));
  });

  it('its shell block, run by sh with stub commands, fetches every URL into the folder and runs nothing else', () => {
    const block = source.match(/^(`{3,})shell\n([\s\S]*?)\n\1$/m)![2]!;
    expect(block.startsWith('mkdir -p ~/')).toBe(true);
    const stubs = ['mkdir', 'cd', 'curl', 'rucio'].map((name) => `${name}() { printf '%s\\n' ${name} "$@" >> calls; }\n`).join('');
    const home = join(work, 'home');
    const run = spawnSync('sh', ['-c', stubs + block], { cwd: work, env: { PATH: process.env.PATH, HOME: home }, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const calls = spawnSync('cat', ['calls'], { cwd: work, encoding: 'utf8' }).stdout.split('\n').slice(0, -1);
    expect(calls).toEqual([
      'mkdir', '-p', join(home, into), 'cd', join(home, into),
      'curl', '-fL', '--retry', '3', '-o', 'file.fits', displayUrl(datasets[0]!.url),
      'curl', '-fL', '--retry', '3', '-o', 'tap-result-2.xml', datasets[1]!.url,
      'rucio', 'download', '--no-subdir', 's:n',
    ]);
    expect(readdirSync(work).sort()).toEqual(['calls']);
    expect(displayUrl(datasets[0]!.url)).toBe('https://data.example.org/a%20b/%3Cx%3E%22%27%28%29/file.fits?q=1&lt;&r=%60id%60$%28touch%20pwned%29');
  });
});

describe('withStagingCell', () => {
  const code = (source: string, extra: Partial<ICell> = {}): ICell => ({ cell_type: 'code', source, metadata: {}, outputs: [], execution_count: null, ...extra }) as ICell;
  const notebook = (minor: number, cells: ICell[]): INotebookContent => ({ nbformat: 4, nbformat_minor: minor, metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } }, cells });
  const plan = { into: 'repo/data', datasets: [url('a.fits')] };
  const tagged = (book: INotebookContent) => book.cells.filter((cell) => (cell.metadata.tags as string[] | undefined)?.includes(STAGING_TAG));

  it('inserts at the top, then replaces in place on the next launch; other cells are the same objects, inputs untouched', () => {
    const original = notebook(4, [code('import numpy', { metadata: { tags: ['setup'] } }), { cell_type: 'markdown', source: '# Title', metadata: {} } as ICell]);
    const snapshot = structuredClone(original);
    const first = withStagingCell(original, stagingCell('python', plan));
    expect(original).toEqual(snapshot);
    expect(first.cells).toHaveLength(3);
    expect(first.cells[0]!.metadata.tags).toEqual([STAGING_TAG]);
    expect(first.cells[0]).not.toHaveProperty('id'); // nbformat 4.4 has no cell ids
    expect(first.cells.slice(1)).toEqual(original.cells);
    first.cells.slice(1).forEach((cell, index) => expect(cell).toBe(original.cells[index]));

    // The user moved the staging cell below the import; a second launch (other data) replaces it there.
    const moved = { ...first, cells: [first.cells[1]!, first.cells[0]!, first.cells[2]!] };
    const second = withStagingCell(moved, stagingCell('python', { ...plan, datasets: [url('b.fits')] }));
    expect(tagged(second)).toHaveLength(1);
    expect(second.cells.map((cell) => cellText(cell).split('\n')[0])).toEqual(['import numpy', cellText(second.cells[1]!).split('\n')[0], '# Title']);
    expect(cellText(second.cells[1]!)).toContain('b.fits');
    expect(cellText(second.cells[1]!)).not.toContain('a.fits');
  });

  it('several tagged cells (a user copied one) become exactly one; a cell without the tag gets it', () => {
    const cell = stagingCell('r', plan);
    const twice = notebook(4, [code('x'), cell, code('y'), cell]);
    const result = withStagingCell(twice, { ...cell, metadata: { tags: ['mine'] } });
    expect(tagged(result)).toHaveLength(1);
    expect(result.cells.map((c) => c.metadata.tags)).toEqual([undefined, ['mine', STAGING_TAG], undefined]);
  });

  it('nbformat ≥ 4.5: a unique, valid, deterministic cell id, kept on replacement', () => {
    const book = notebook(5, [code('a', { id: 'ida-staging' }), code('b', { id: 'x1' })]);
    const first = withStagingCell(book, stagingCell('julia', plan));
    expect(first.cells[0]!.id).toBe('ida-staging-2');
    expect(withStagingCell(book, stagingCell('julia', plan))).toEqual(first);
    const second = withStagingCell(first, stagingCell('julia', plan));
    expect(second.cells.map((cell) => cell.id)).toEqual(['ida-staging-2', 'ida-staging', 'x1']);
    expect(withStagingCell(notebook(5, []), { ...stagingCell('python', plan), id: 'bad id!' }).cells[0]!.id).toBe('ida-staging');
  });

  it('the results are valid notebooks for Debian’s nbformat, 4.4 and 4.5 alike', ({ skip }) => {
    if (!requireDebianPackages('staging cell notebooks', [{ name: 'python3-nbformat', provides: '/usr/lib/python3/dist-packages/nbformat/__init__.py' }]).ok) skip();
    const books = [4, 5].flatMap((minor) =>
      ['python', 'octave'].map((language) => withStagingCell(notebook(minor, [code('a', minor >= 5 ? { id: 'a' } : {})]), stagingCell(language, plan))),
    );
    const check = 'import json, sys, nbformat\nfor book in json.load(sys.stdin): nbformat.validate(nbformat.from_dict(book), version=4, version_minor=book["nbformat_minor"])\nprint("ok")';
    const run = spawnSync('/usr/bin/python3', ['-c', check], { input: JSON.stringify(books), encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('ok\n');
    expect(() => withStagingCell({ nbformat: 3 } as unknown as INotebookContent, stagingCell('r', plan))).toThrow(/no cell list/);
  });
});
