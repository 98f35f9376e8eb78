import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Parser } from 'htmlparser2';
import { marked } from 'marked';
import { describe, expect, it } from 'vitest';
import type { NotebookPreview } from '../../catalog/contract/index.js';
import { markdownHtml, plainMarkdownHtml, sanitize, sanitizeAll } from '../../site/lib/sanitize.js';
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

/**
 * A fragment as the browser reads it: tags with their attributes (values decoded, in any order) and text
 * (decoded). Two fragments with the same document differ at most in how they escape.
 */
function documentOf(markup: string): string[] {
  const events: string[] = [];
  let text = '';
  const flush = () => {
    if (text) events.push(`text ${text}`);
    text = '';
  };
  const parser = new Parser({
    onopentag(name, attributes) {
      flush();
      events.push(`<${name} ${JSON.stringify(Object.entries(attributes).sort())}>`);
    },
    ontext(chunk) {
      text += chunk;
    },
    onclosetag(name) {
      flush();
      events.push(`</${name}>`);
    },
  });
  parser.write(markup);
  parser.end();
  flush();
  return events;
}

/** The alt texts of a markdown source's images, as marked reads them. */
function imageAlts(source: string): string[] {
  const alts: string[] = [];
  marked.walkTokens(marked.lexer(source), (token) => {
    if (token.type === 'image') alts.push(token.text);
  });
  return alts;
}

describe('markdown without raw HTML, rendered safe without the sanitiser', () => {
  /** What the sanitiser makes of the same cell: the reference. */
  const sanitised = (source: string) => sanitize(markdownHtml(source), '/base/', 2);
  const plain = (source: string) => plainMarkdownHtml(source, '/base/', 2);

  it("is the document the sanitiser makes, for every real markdown cell of the committed catalog that has no HTML", () => {
    const folder = path.join(projectRoot, 'catalog', 'previews');
    let checked = 0;
    let withHtml = 0;
    for (const name of readdirSync(folder)) {
      const preview = JSON.parse(readFileSync(path.join(folder, name), 'utf8')) as NotebookPreview;
      for (const cell of preview.cells) {
        if (cell.type !== 'markdown') continue;
        const rendered = plain(cell.source);
        if (rendered === null) {
          withHtml += 1;
          continue;
        }
        expect(documentOf(rendered), `${name}: ${cell.source.slice(0, 80)}`).toEqual(documentOf(sanitised(cell.source)));
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(700);
    expect(withHtml).toBeGreaterThan(0);
  });

  it('leaves every cell with raw HTML to the sanitiser', () => {
    for (const source of ['<b>bold</b>', 'text <img src=x onerror=alert(1)> text', '<!-- comment -->', '<script>alert(1)</script>', '# Title\n\n<div>block</div>', '[link](https://example.org) and <br>', '<svg onload=alert(1)>', markdownCell!.source]) {
      expect(plain(source), source).toBeNull();
    }
  });

  it('keeps only http(s), mailto and scheme-less links, however the scheme is spelled', () => {
    const links: Array<[string, string | null]> = [
      ['[a](javascript:alert(1))', null],
      ['[a](javascript:alert(1) "with a title")', null],
      ['[a]()', null],
      ['[a](JaVaScRiPt:alert(1))', null],
      ['[a](&#106;avascript:alert(1))', null],
      ['[a](&#x6A;avascript&colon;alert(1))', null],
      // Not a scheme at all once the space is encoded: a relative path, harmless.
      ['[a](<java script:alert(1)>)', 'java%20script:alert(1)'],
      ['[a](vbscript:msgbox(1))', null],
      ['[a](data:text/html;base64,PHNjcmlwdD4=)', null],
      ['[a](//evil.example/x)', null],
      // A backslash (which browsers read as a slash) is percent-encoded: a path, not another host.
      ['[a](\\\\evil.example/x)', '%5Cevil.example/x'],
      ['[a](/\\evil.example/x)', '/%5Cevil.example/x'],
      ['[a](https://example.org/a?b=1&c=2 "a \\"title\\"")', 'https://example.org/a?b=1&c=2'],
      ['[a](HTTP://EXAMPLE.ORG)', 'HTTP://EXAMPLE.ORG'],
      ['[a](mailto:someone@example.org)', 'mailto:someone@example.org'],
      ['[a](other.ipynb#section)', 'other.ipynb#section'],
      ['[a](#section)', '#section'],
      ['<https://example.org/auto>', 'https://example.org/auto'],
      ['[a][ref]\n\n[ref]: javascript:alert(1)', null],
      ['[a][ref]\n\n[ref]: https://example.org/ref', 'https://example.org/ref'],
    ];
    for (const [source, href] of links) {
      const rendered = plain(source)!;
      expect(rendered, source).not.toBeNull();
      const anchors = documentOf(rendered).filter((event) => event.startsWith('<a '));
      expect(anchors, source).toHaveLength(1);
      const attributes = Object.fromEntries(JSON.parse(anchors[0]!.slice(3, -1)) as Array<[string, string]>);
      expect(attributes.href, source).toBe(href ?? undefined);
      if (href && !href.startsWith('#')) expect(attributes.rel).toBe('nofollow noopener noreferrer ugc');
      expect(documentOf(rendered), source).toEqual(documentOf(sanitised(source)));
      expect(rendered).not.toMatch(/javascript:|vbscript|data:/i);
    }
  });

  it('shows images from our media folder or https only, with their alt text whole', () => {
    expect(plain(`![plot](${PNG_MEDIA}) ![plot](./${PNG_MEDIA})`)).toBe(
      `<p><img src="/base/${PNG_MEDIA}" alt="plot" loading="lazy" decoding="async"> <img src="/base/${PNG_MEDIA}" alt="plot" loading="lazy" decoding="async"></p>\n`,
    );
    for (const source of ['![x](http://tracker.example/a.png)', '![x](data:image/png;base64,AAAA)', '![x](javascript:alert(1))', '![x](media/not-a-hash.png)', '![x](//cdn.example/a.png)']) {
      expect(plain(source), source).toBe('<p></p>\n');
      expect(documentOf(plain(source)!), source).toEqual(documentOf(sanitised(source)));
    }
    // An alt text with quotes stays whole (marked writes it unescaped; the sanitiser then cuts it at the quote).
    expect(plain('![a "quoted" alt & more](https://example.org/a.png "t\\"")')).toBe(
      '<p><img src="https://example.org/a.png" alt="a &quot;quoted&quot; alt &amp; more" title="t&quot;" referrerpolicy="no-referrer" loading="lazy" decoding="async"></p>\n',
    );
  });

  it('fetches images from other hosts without a referrer, in both renderers; a notebook cannot set its own policy', () => {
    expect(sanitised('<img src="https://example.org/a.png" referrerpolicy="unsafe-url" alt="a">')).toContain('<img src="https://example.org/a.png" alt="a" referrerpolicy="no-referrer"');
    expect(sanitised(`<img src="${PNG_MEDIA}" referrerpolicy="unsafe-url">`)).not.toContain('referrerpolicy');
    expect(plain('![a](https://example.org/a.png)')).toContain('referrerpolicy="no-referrer"');
    expect(documentOf(plain('![a](https://example.org/a.png)')!)).toEqual(documentOf(sanitised('![a](https://example.org/a.png)')));
  });

  it('matches the sanitiser over random mixes of links, images, entities and markup', () => {
    // Seeded, so a failure replays.
    let seed = 20261126;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T,>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
    const bits = ['[', ']', '(', ')', '![', '<', '>', '"', "'", '&', '&amp;', '&#106;', '&colon;', 'javascript:', 'JaVaScript:', 'http://x.org', 'https://y.org/a.png', 'mailto:a@b.c', '//evil', '\\\\', '\\', '#frag', ' ', '\n', '\n\n', '*', '**', '_', '`', '```', '~~', '|', '-', '# ', '> ', '1. ', '- [ ] ', 'www.z.com', PNG_MEDIA, 'x', 'é', '\t', '%', '%25', '[r]: https://r.org', '[r]', '&#x3C;', 'data:'];
    const piece = () => Array.from({ length: 1 + Math.floor(random() * 5) }, () => pick(bits)).join('');
    const forms = [() => `[${piece()}](${piece()})`, () => `[${piece()}](${piece()} "${piece()}")`, () => `![${piece()}](${piece()})`, () => `[a](<${piece()}>)`, () => `<${piece()}>`, piece];
    let compared = 0;
    for (let round = 0; round < 3000; round += 1) {
      const source = Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(forms)()).join(' ');
      const rendered = plain(source);
      // marked writes an alt text with a quote broken (the one intended difference: see above).
      if (rendered === null || imageAlts(source).some((alt) => alt.includes('"'))) continue;
      expect(documentOf(rendered), JSON.stringify(source)).toEqual(documentOf(sanitised(source)));
      compared += 1;
    }
    expect(compared).toBeGreaterThan(2500);
  });

  it('writes code, headings, task lists and tables as the sanitiser leaves them', () => {
    for (const source of ['```"><script>alert(1)</script>\nx < 1 && y\n```', '    indented <code>\n', '# One *em*\n## Two\n###### Six', '- [x] done\n- [ ] to do', '| a | `b|c` |\n|:-|-:|\n| 1 | <2> |', '> quote with **bold** and ~~strike~~\n\n---\n\n1. one\n2. two', 'line one  \nline two\\\nthree']) {
      const rendered = plain(source);
      if (rendered === null) continue;
      expect(documentOf(rendered), source).toEqual(documentOf(sanitised(source)));
      expect(rendered, source).not.toMatch(/<script|<input|class=/);
    }
    expect(plain('# One')).toBe('<h3>One</h3>\n');
    expect(plain('###### Six')).toBe('<h6>Six</h6>\n');
  });
});
