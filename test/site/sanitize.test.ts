import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NotebookPreview } from '../../catalog/contract/index.js';
import { markdownHtml, sanitize, sanitizeAll } from '../../site/lib/sanitize.js';
import { projectRoot } from '../support/build-site.js';
import { PNG_MEDIA, xssPreviews } from '../fixtures/site/catalogs.js';

const [markdownCell, codeCell] = xssPreviews[0]!.cells;
/** A markdown cell as a page shows it: marked, then the sanitiser. */
const renderMarkdown = (source: string, base = '/') => sanitize(markdownHtml(source), base);

describe('notebook markdown and HTML sanitising', () => {
  const html = renderMarkdown(markdownCell!.source, '/base/');

  it('drops scripts, event handlers, SVG, iframes and styles', () => {
    expect(html).not.toMatch(/<script|<svg|<iframe|<style|onerror|onload|onclick|alert\(1[05]\)/i);
    expect(html).toContain('html in markdown');
  });

  it('keeps no javascript: URL, in any case', () => {
    expect(html).not.toMatch(/javascript:/i);
    expect(html).toContain('a javascript link');
  });

  it('allows images only from our media folder or https', () => {
    expect(html).not.toContain('http://tracker.example');
    const local = renderMarkdown(`![plot](${PNG_MEDIA}) ![remote](https://example.org/a.png) ![data](data:image/png;base64,AAAA)`, '/base/');
    expect(local).toContain(`src="/base/${PNG_MEDIA}"`);
    expect(local).toContain('src="https://example.org/a.png"');
    expect(local).not.toContain('data:');
  });

  it('renders markdown and marks outgoing links', () => {
    const out = renderMarkdown('# Title\n\nSome **bold** [link](https://astropy.org) and `code`.');
    expect(out).toContain('<h1>Title</h1>');
    expect(out).toContain('<strong>bold</strong>');
    expect(out).toMatch(/<a href="https:\/\/astropy.org" rel="nofollow noopener noreferrer ugc">/);
  });

  it('sanitises text/html outputs the same way', () => {
    const output = codeCell!.outputs[0]!;
    if (output.type !== 'html') throw new Error('fixture changed');
    const out = sanitize(output.html);
    expect(out).toContain('<b>bold</b>');
    expect(out).not.toMatch(/<script|<svg|onerror|javascript:/i);
  });
});

describe('sanitising a notebook in one pass', () => {
  const each = (fragments: string[]) => fragments.map((fragment) => sanitize(fragment, '/base/', 2));

  it("gives each of the committed catalog's real markdown cells and HTML outputs what sanitising it alone gives", () => {
    const folder = path.join(projectRoot, 'catalog', 'previews');
    let checked = 0;
    for (const name of readdirSync(folder)) {
      const preview = JSON.parse(readFileSync(path.join(folder, name), 'utf8')) as NotebookPreview;
      const fragments: string[] = [];
      for (const cell of preview.cells) {
        if (cell.type === 'markdown') fragments.push(markdownHtml(cell.source));
        for (const output of cell.outputs) if (output.type === 'html') fragments.push(output.html);
      }
      expect(sanitizeAll(fragments, '/base/', 2), name).toEqual(each(fragments));
      checked += fragments.length;
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('keeps a fragment that leaves a comment, a script, a quote or a tag open from touching its neighbours', () => {
    for (const opener of ['<!-- never closed', '<script>alert(1)', '<a href="x', '<img src=x', '<style>b{}', '<svg><g>', '<textarea>', '</', '<', '<![CDATA[', '<b', '<table><tr><td>cell', '<ul><li>item']) {
      const fragments = ['<p>before <b>bold', opener, '<i>after</i> <a href="https://example.org/">link</a>', '<h1>heading</h1>'];
      const out = sanitizeAll(fragments, '/base/', 2);
      expect(out, opener).toEqual(each(fragments));
      expect(out[2]).toContain('<i>after</i>');
      expect(out[3]).toBe('<h3>heading</h3>');
    }
  });

  it('cannot be steered by a fragment that names a fence', () => {
    const fragments = ['<div>one', '</ida-fragment-0000000000000000><script>alert(1)</script><ida-fragment-0000000000000000>', 'three</div>'];
    const out = sanitizeAll(fragments, '/base/', 2);
    expect(out).toEqual(each(fragments));
    expect(out.join('')).not.toMatch(/ida-fragment|<script/);
  });

  it('matches sanitising one by one over random mixes of broken markup', () => {
    // Seeded, so a failure replays.
    let seed = 20261126;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const bits = ['<p>', '</p>', '<b>', '</b>', '<div>', '</div>', '<!--', '-->', '<script>', '</script>', '<a href="', '"', '>', '<', '</', '&amp', '&lt;', 'text ', '<img src="https://example.org/a.png">', '<img src=javascript:alert(1)>', '<svg>', '</svg>', '<table><tr><td>', '</td>', '<li>', '<h1>', '</h1>', '<style>', '</style>', '<![CDATA[', ']]>', '<textarea>', '</textarea>', "'", '<br/>', '<select><option>'];
    for (let round = 0; round < 400; round += 1) {
      const fragments = Array.from({ length: 2 + Math.floor(random() * 4) }, () => Array.from({ length: 1 + Math.floor(random() * 6) }, () => bits[Math.floor(random() * bits.length)]!).join(''));
      expect(sanitizeAll(fragments, '/base/', 2), JSON.stringify(fragments)).toEqual(each(fragments));
    }
  });
});
