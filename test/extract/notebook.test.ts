import { describe, expect, it } from 'vitest';
import { code, md, nb4, normalised } from './helpers.js';

describe('normaliseNotebook: nbformat 4', () => {
  it('joins source given as a string or a list of strings', () => {
    const { notebook, warnings } = normalised(nb4([md('# A\n'), md(['# B\n', 'text']), code(['import os\n', 'import sys'])]));
    expect(notebook.cells.map((cell) => cell.source)).toEqual(['# A\n', '# B\ntext', 'import os\nimport sys']);
    expect(notebook.nbformat).toBe('4.4');
    expect(warnings).toEqual([]);
  });
  it('reads a v4 "heading" cell as markdown, with a warning', () => {
    const { notebook, warnings } = normalised(nb4([{ cell_type: 'heading', level: 2, metadata: {}, source: 'Results' }]));
    expect(notebook.cells[0]).toMatchObject({ type: 'markdown', source: '## Results' });
    expect(warnings[0]).toMatch(/cell 1 is a "heading" cell/);
  });
  it('warns about cells missing or not a list, unknown cell types, missing sources, keeping the good cells', () => {
    expect(normalised({ nbformat: 4, nbformat_minor: 2, metadata: {} }).warnings[0]).toMatch(/no "cells" list \(missing\)/);
    expect(normalised({ nbformat: 4, nbformat_minor: 2, metadata: {}, cells: 'x' }).warnings[0]).toMatch(/"cells" is string/);
    const { notebook, warnings } = normalised(nb4([42 as never, { cell_type: 'future' }, { cell_type: 'markdown' }, code('x = 1')]));
    expect(notebook.cells.map((cell) => cell.type)).toEqual(['markdown', 'code']);
    expect(warnings.join('\n')).toMatch(/cell 1 is not an object[\s\S]*cell 2 has unknown cell_type "future"[\s\S]*cell 3 has no "source"/);
  });
  it('checks nbformat 4.5 cell ids: present, well-formed, unique', () => {
    const cells = [{ ...code('a'), id: 'ok-1' }, { ...code('b'), id: '$bad' }, { ...code('c'), id: 'ok-1' }, code('d')];
    const warnings = normalised(nb4(cells, {}, 5)).warnings.join('\n');
    expect(warnings).toMatch(/cell 2 has an invalid id "\$bad"/);
    expect(warnings).toMatch(/cell 3 repeats the cell id "ok-1"/);
    expect(warnings).toMatch(/cells without an "id"/);
    expect(normalised(nb4([code('a')], {}, 4)).warnings).toEqual([]); // ids are only required from 4.5
  });
  it('reports invalid metadata types without failing', () => {
    const cell = { ...code('x'), metadata: { collapsed: 'no', tags: 'a,b' } };
    const { notebook, warnings } = normalised(nb4([cell], { kernelspec: 'python', authors: 'me' }));
    expect(notebook.cells).toHaveLength(1);
    expect(warnings.join('\n')).toMatch(/kernelspec is not an object[\s\S]*authors is not a list[\s\S]*invalid metadata \(collapsed, tags\)/);
  });
  it('keeps outputs: streams, results, errors; flags unknown output types', () => {
    const outputs = [
      { output_type: 'stream', name: 'stderr', text: ['warn', 'ing'] },
      { output_type: 'execute_result', data: { 'text/plain': '1' }, execution_count: 1, metadata: {} },
      { output_type: 'error', ename: 'E', evalue: 'v', traceback: ['t'] },
      { output_type: 'bad stream' },
    ];
    const { notebook, warnings } = normalised(nb4([code('x', outputs, 1)]));
    expect(notebook.cells[0]!.outputs.map((output) => output.type)).toEqual(['stream', 'execute_result', 'error', 'unknown']);
    expect(notebook.cells[0]!.outputs[0]).toEqual({ type: 'stream', name: 'stderr', text: 'warning' });
    expect(warnings[0]).toMatch(/output of unknown type "bad stream"/);
  });
  it('warns about a missing nbformat_minor and a missing version', () => {
    expect(normalised({ nbformat: 4, metadata: {}, cells: [] }).warnings[0]).toMatch(/no "nbformat_minor"/);
    const { notebook, warnings } = normalised({ metadata: {}, cells: [] });
    expect(notebook.nbformat).toBe('4');
    expect(warnings[0]).toMatch(/no valid "nbformat" version; read as nbformat 4/);
  });
  it('refuses a top level that is not an object', () => {
    expect(normalised([1, 2]).warnings[0]).toMatch(/top level is a list/);
  });
});

describe('normaliseNotebook: nbformat 3 and older', () => {
  const v3 = {
    nbformat: 3,
    nbformat_minor: 0,
    metadata: { name: 'old' },
    worksheets: [
      {
        cells: [
          { cell_type: 'heading', level: 1, source: ['An old ', 'notebook'] },
          { cell_type: 'markdown', source: ['Line one\n', 'line two'] },
          {
            cell_type: 'code',
            language: 'python',
            input: ['import numpy\n', 'numpy.ones(2)'],
            prompt_number: 3,
            outputs: [
              { output_type: 'pyout', prompt_number: 3, text: ['array([1., 1.])'], png: 'iVBORw0KGgo=' },
              { output_type: 'stream', stream: 'stdout', text: 'hi' },
              { output_type: 'pyerr', ename: 'ValueError', evalue: 'bad', traceback: [] },
            ],
          },
        ],
      },
      { cells: [{ cell_type: 'raw', source: 'raw' }] },
    ],
  };
  it('flattens worksheets, turns heading cells into markdown, maps v3 fields to v4 shapes', () => {
    const { notebook, warnings } = normalised(v3);
    expect(warnings).toEqual([]);
    expect(notebook.nbformat).toBe('3.0');
    expect(notebook.cells.map((cell) => [cell.type, cell.source])).toEqual([
      ['markdown', '# An old notebook'],
      ['markdown', 'Line one\nline two'],
      ['code', 'import numpy\nnumpy.ones(2)'],
      ['raw', 'raw'],
    ]);
    const outputs = notebook.cells[2]!.outputs;
    expect(outputs[0]).toEqual({ type: 'execute_result', data: { 'text/plain': ['array([1., 1.])'], 'image/png': 'iVBORw0KGgo=' } });
    expect(outputs[1]).toEqual({ type: 'stream', name: 'stdout', text: 'hi' });
    expect(outputs[2]).toMatchObject({ type: 'error', ename: 'ValueError' });
    expect(notebook.cells[2]!.executionCount).toBe(3);
  });
  it('joins v2/v3 lines that lack line ends with newlines, as nbformat does', () => {
    const { notebook } = normalised({ ...v3, worksheets: [{ cells: [{ cell_type: 'markdown', source: ['# T', '', 'para'] }] }] });
    expect(notebook.cells[0]!.source).toBe('# T\n\npara');
  });
  it('warns about missing worksheets and worksheets without cells', () => {
    expect(normalised({ nbformat: 3, nbformat_minor: 0, metadata: {} }).warnings[0]).toMatch(/without a "worksheets" list/);
    expect(normalised({ nbformat: 3, nbformat_minor: 0, metadata: {}, worksheets: [{ metadata: {} }] }).warnings[0]).toMatch(/worksheet 1 has no "cells" list/);
  });
  it('gives nbformat 2 a warning and a minimal reading', () => {
    const { notebook, warnings } = normalised({ nbformat: 2, metadata: { name: 'x' }, worksheets: [] });
    expect(notebook.nbformat).toBe('2');
    expect(notebook.cells).toEqual([]);
    expect(warnings[0]).toMatch(/nbformat 2, which is obsolete/);
  });
});
