import { describe, expect, it } from 'vitest';
import { renderMarkdown, sanitize } from '../../site/lib/sanitize.js';
import { PNG_MEDIA, xssPreviews } from '../fixtures/site/catalogs.js';

const [markdownCell, codeCell] = xssPreviews[0]!.cells;

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
