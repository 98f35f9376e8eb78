import { describe, expect, it } from 'vitest';
import { describeNotebook, sidecarOf, titleFromPath } from '../../crawler/extract/title.js';
import { code, md, nb4, normalised } from './helpers.js';

const describeCells = (cells: ReturnType<typeof md>[], metadata: Record<string, unknown> = {}, sidecar: unknown = null, path = 'dir/my_first-notebook.ipynb') => {
  const { notebook } = normalised(nb4(cells, metadata));
  return describeNotebook(path, notebook.metadata, notebook.cells, sidecarOf(sidecar));
};

describe('title', () => {
  const cells = [md('<h1>HTML title</h1>'), md('# Markdown title')];
  it('prefers the sidecar title (or name), then metadata.title, then the first heading, then the file name', () => {
    expect(describeCells(cells, { title: 'Meta *title*' }, { title: 'Sidecar title' }).title).toBe('Sidecar title');
    expect(describeCells(cells, { title: 'Meta *title*' }, { name: 'Sidecar name' }).title).toBe('Sidecar name');
    expect(describeCells(cells, { title: 'Meta *title*' }).title).toBe('Meta title');
    expect(describeCells(cells).title).toBe('HTML title');
    expect(describeCells([md('no heading here at all')]).title).toBe('my first notebook');
  });
  it('finds the heading after code and prose cells, as plain text', () => {
    expect(describeCells([md('Intro words here.'), code('x = 1') as never, md('Setext &amp; [linked](http://x) title\n===')]).title).toBe('Setext & linked title');
  });
  it('turns file names into words', () => {
    expect(titleFromPath('a/b/VO_Data-Discovery.ipynb')).toBe('VO Data Discovery');
    expect(titleFromPath('___.ipynb')).toBe('___.ipynb');
  });
  it('caps long titles on a word boundary', () => {
    const title = describeCells([md(`# ${'word '.repeat(100)}`)]).title;
    expect(title.length).toBeLessThanOrEqual(200);
    expect(title.endsWith('word…')).toBe(true);
  });
});

describe('description', () => {
  it('takes the sidecar description as plain text: stray HTML never survives', () => {
    const sidecar = { keywords: ['vo'], description: 'Workflow for discovering astronomy data in the VO</h1>' };
    expect(describeCells([md('# T\n\nOther words here.')], {}, sidecar).description).toBe('Workflow for discovering astronomy data in the VO');
  });
  it('else the first paragraph of prose after the title, even in a later cell', () => {
    expect(describeCells([md('Preamble before title text.\n\n# T'), md('[![badge](b.svg)](x)'), md('The **real** description here.')]).description).toBe('The real description here.');
  });
  it('skips front-matter sections and reads Keywords and Authors sections', () => {
    const front = '# Tutorial\n\n## Authors\nAda Lovelace, Charles Babbage (reviewer)\n\n## Learning Goals\n* learn\n\n## Keywords\nFITS, file input/output\n\n## Summary\nThis tutorial edits a FITS header.';
    expect(describeCells([md(front)])).toEqual({
      title: 'Tutorial',
      description: 'This tutorial edits a FITS header.',
      keywords: ['FITS', 'file input/output'],
      authors: ['Ada Lovelace', 'Charles Babbage'],
    });
  });
  it('reads on into a list introduced by a colon', () => {
    expect(describeCells([md('# T\n\nIn this tutorial, we will:\n\n* load data\n* plot it')]).description).toBe('In this tutorial, we will: load data; plot it.');
  });
  it('is empty when there is no prose at all', () => {
    expect(describeCells([md('# Only a title')]).description).toBe('');
  });
  it('cuts long prose on a word boundary at 300 characters', () => {
    const description = describeCells([md(`# T\n\n${'lorem ipsum '.repeat(60)}`)]).description;
    expect(description.length).toBeLessThanOrEqual(300);
    expect(description.endsWith('…')).toBe(true);
  });
});

describe('sidecarOf', () => {
  it('reads keywords as a list or a comma-separated string, and ignores non-objects', () => {
    expect(sidecarOf({ keywords: 'vo, tap ,', description: 'x' })?.keywords).toEqual(['vo', 'tap']);
    expect(sidecarOf(['not', 'an', 'object'])).toBeNull();
  });
});
