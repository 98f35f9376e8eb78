/**
 * Issue #21, stalls: import and install extraction is bounded by construction (cell and line caps before
 * any pattern, linear patterns), and every extraction has a time budget that becomes a warning, never a
 * hang. Each input here took from 40 s to hours with the old patterns.
 */
import { describe, expect, it } from 'vitest';
import { Budget, withBudget } from '../../crawler/extract/budget.js';
import { extractRepository } from '../../crawler/extract/index.js';
import { importsOf, MAX_CELL_CHARS } from '../../crawler/extract/imports/index.js';
import { code, json, md, memorySnapshot, nb4, PYTHON_METADATA } from './helpers.js';

const MB = 1_000_000;
const line = (unit: string, prefix = '') => (prefix + unit.repeat(MB)).slice(0, MB);

function timed<T>(work: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = work();
  return { value, ms: performance.now() - started };
}

/** Adversarial 1 MB single-line cells, each aimed at one old pattern. */
const ONE_LINE_CELLS: [string, string, string][] = [
  ['python', '%%bash: `%` rescanned by the installer pattern', line('%', '%%bash\n')],
  ['python', 'a shell line of `%`', line('%', '!')],
  ['python', '`from` and spaces (three adjacent whitespace runs)', line(' ', 'from') + 'x'],
  ['python', '`if` and spaces (compound statement)', line(' ', 'if') + 'x'],
  ['julia', 'unclosed `#=` comments', line('x#=')],
  ['julia', '`Pkg.add(` without `)`', line('Pkg.add(')],
  ['r', '`library(a,` without `)`', line('library(a,')],
  ['r', '`install.packages(` without `)`', line('install.packages(')],
];

describe('import extraction is bounded by construction', () => {
  it.each(ONE_LINE_CELLS)('%s: %s, 1 MB on one line, in well under a second', (language, _what, source) => {
    const { ms } = timed(() => importsOf(language, [source]));
    expect(ms).toBeLessThan(500);
  });

  it('1 MB cells of lines just under the line cap, or of many short lines, stay linear', () => {
    const cells = ['Pkg.add(', 'library(a,', '%', ' \n', 'from '].flatMap((unit) => [3_999, 40].map((width) => `${(unit.repeat(width).slice(0, width) + '\n').repeat(Math.ceil(MB / (width + 1)))}`));
    for (const language of ['python', 'julia', 'r']) {
      const { ms } = timed(() => importsOf(language, cells));
      expect(ms, language).toBeLessThan(10_000);
    }
  });

  it('still finds the imports around an overlong line, and reads at most MAX_CELL_CHARS of the other lines', () => {
    expect(importsOf('python', [`import numpy\n${'x'.repeat(MB)}\nimport scipy\n!pip install astropy`])).toEqual({ imports: ['numpy', 'scipy'], installs: ['astropy'] });
    expect(importsOf('python', [`import numpy\n${'y = 1\n'.repeat(MAX_CELL_CHARS / 6)}import beyond_the_cap`]).imports).toEqual(['numpy']);
  });

  it('checks the time budget between cells: a spent budget stops early and says where', () => {
    let now = 0;
    const budget = new Budget(10, () => (now += 4)); // every look at the clock costs 4 ms
    const found = withBudget(budget, () => importsOf('python', ['import a', 'import b', 'import c', 'import d', 'import e']));
    expect(found.imports.length).toBeGreaterThan(0);
    expect(found.imports.length).toBeLessThan(5);
    expect(budget.stopped).toEqual([`imports were read from the first ${found.imports.length} of 5 code cells only`]);
  });
});

describe('the extraction budget of a repository', () => {
  it('a notebook with a 1 MB single-line code cell and a 1 MB single-line markdown cell is extracted in well under a second', async () => {
    const notebook = json(nb4([md('# Big'), md('x'.repeat(MB)), code(line('%', '%%bash\n')), code('import numpy')], PYTHON_METADATA));
    const started = performance.now();
    const result = await extractRepository(memorySnapshot({ 'big.ipynb': notebook }));
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(result.workflows[0]).toMatchObject({ title: 'Big', imports: ['numpy'] });
  });

  it('an over-budget notebook gets a warning; once the repository budget is spent the rest get minimal records, none is lost', async () => {
    let now = 0;
    const files = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`nb${String(i).padStart(2, '0')}.ipynb`, json(nb4([md(`# Notebook ${i}`), code(['import a\n', 'x = 1']), code('import b')], PYTHON_METADATA))]));
    const result = await extractRepository(memorySnapshot(files), { notebookBudgetMs: 5, repositoryBudgetMs: 200, clock: () => (now += 10) });
    expect(result.workflows).toHaveLength(12);
    const warnings = result.workflows.map((w) => w.warnings.join(' '));
    expect(warnings.some((w) => /extraction took \d+ ms, over its 5 ms budget/.test(w))).toBe(true);
    const skipped = result.workflows.filter((w) => /the repository's 200 ms extraction budget was spent; only a minimal record was made/.test(w.warnings.join(' ')));
    expect(skipped.length).toBeGreaterThan(0);
    expect(skipped.length).toBeLessThan(12);
    for (const workflow of skipped) expect(workflow).toMatchObject({ cells: { code: 0, markdown: 0, raw: 0 }, imports: [] });
  });
});
