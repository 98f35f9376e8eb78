import { describe, expect, it } from 'vitest';
import { NotebookPreview } from '../../catalog/contract/index.js';
import { PREVIEW_LIMITS, buildPreview } from '../../crawler/extract/preview.js';
import { code, imageOutput, md, nb4, normalised, png } from './helpers.js';

const preview = (cells: ReturnType<typeof md>[], maxMedia = 1_000_000) => {
  const result = buildPreview('example-id', 'python', normalised(nb4(cells)).notebook, maxMedia, new Map());
  expect(NotebookPreview.safeParse(result.preview).success).toBe(true);
  return result;
};

describe('buildPreview', () => {
  it('keeps cells, sources and execution counts', () => {
    const { preview: p } = preview([md('# T'), code('print(1)', [{ output_type: 'stream', name: 'stdout', text: '1\n' }], 7)]);
    expect(p.cells).toEqual([
      { type: 'markdown', source: '# T', executionCount: null, outputs: [] },
      { type: 'code', source: 'print(1)', executionCount: 7, outputs: [{ type: 'text', stream: 'stdout', text: '1\n', truncated: false }] },
    ]);
    expect(p).toMatchObject({ schemaVersion: 1, id: 'example-id', language: 'python', truncated: false });
  });
  it('strips ANSI colour codes from tracebacks and streams', () => {
    const error = { output_type: 'error', ename: 'NameError', evalue: "name 'x' is not defined", traceback: ['\u001b[0;31mNameError\u001b[0m: x', '\u001b]8;;http://x\u0007link\u001b]8;;\u0007'] };
    const { preview: p } = preview([code('x', [error, { output_type: 'stream', name: 'stderr', text: '\u001b[1mbold\u001b[0m' }], 1)]);
    expect(p.cells[0]!.outputs).toEqual([
      { type: 'error', ename: 'NameError', evalue: "name 'x' is not defined", traceback: 'NameError: x\nlink' },
      { type: 'text', stream: 'stderr', text: 'bold', truncated: false },
    ]);
  });
  it('keeps text/html raw for the site to sanitise, marking truncation', () => {
    const big = `<table>${'<tr><td>x</td></tr>'.repeat(5000)}</table>`;
    const { preview: p } = preview([code('df', [{ output_type: 'execute_result', data: { 'text/html': big, 'text/plain': 'df' }, metadata: {} }], 1)]);
    const output = p.cells[0]!.outputs[0]!;
    expect(output.type === 'html' && output.truncated && output.html.length).toBe(PREVIEW_LIMITS.html);
    expect(p.truncated).toBe(true);
  });
  it('turns valid images into media entries with their dimensions', () => {
    const { preview: p, images } = preview([code('plot()', [imageOutput('image/png', png(30, 20))], 1)]);
    expect(images).toHaveLength(1);
    expect(p.cells[0]!.outputs[0]).toEqual({ type: 'image', src: images[0]!.path, width: 30, height: 20 });
  });
  it('falls back to text when an image is invalid or too large, saying why', () => {
    const { preview: p, problems } = preview([code('plot()', [imageOutput('image/png', 'bm90IGEgcG5n')], 1)]);
    expect(p.cells[0]!.outputs[0]).toMatchObject({ type: 'text', text: '<Figure>' });
    expect(problems[0]).toMatch(/not a valid PNG/);
  });
  it('omits SVG, JavaScript and widgets with a reason, never passing them on', () => {
    const outputs = [
      { output_type: 'display_data', metadata: {}, data: { 'image/svg+xml': '<svg onload="alert(1)"/>' } },
      { output_type: 'display_data', metadata: {}, data: { 'application/javascript': 'alert(1)' } },
      { output_type: 'display_data', metadata: {}, data: { 'application/vnd.jupyter.widget-view+json': { model_id: 'x' }, 'text/plain': 'HBox()' } },
    ];
    const { preview: p } = preview([code('x', outputs, 1)]);
    expect(p.cells[0]!.outputs).toEqual([
      { type: 'omitted', mime: 'image/svg+xml', reason: expect.stringMatching(/SVG/) },
      { type: 'omitted', mime: 'application/javascript', reason: expect.stringMatching(/JavaScript/) },
      { type: 'omitted', mime: 'application/vnd.jupyter.widget-view+json', reason: expect.stringMatching(/widget/) },
    ]);
    expect(JSON.stringify(p)).not.toMatch(/alert|onload/);
  });
  it('stays within the size cap on a huge notebook and says it was truncated', () => {
    const cells = Array.from({ length: 400 }, (_, index) => code(`x = ${index}\n${'#'.repeat(5000)}`, [{ output_type: 'stream', name: 'stdout', text: 'y'.repeat(5000) }], index + 1));
    const { preview: p } = preview(cells);
    expect(JSON.stringify(p).length).toBeLessThanOrEqual(PREVIEW_LIMITS.total + 10_000);
    expect(p.truncated).toBe(true);
    expect(p.cells.length).toBeLessThan(400);
  });
});

describe('buildPreview: empty outputs', () => {
  it('drops empty display_data outputs (IRkernel writes them) instead of listing them', () => {
    const { preview: p } = preview([code('plot()', [{ output_type: 'display_data', data: {}, metadata: {} }, { output_type: 'stream', name: 'stdout', text: 'ok' }], 1)]);
    expect(p.cells[0]!.outputs).toEqual([{ type: 'text', stream: 'stdout', text: 'ok', truncated: false }]);
  });
});
