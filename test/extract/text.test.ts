import { describe, expect, it } from 'vitest';
import { cutAtWord, firstHeading, firstParagraph, htmlToText, lex, markdownToText } from '../../crawler/extract/text.js';

describe('htmlToText', () => {
  it('drops tags, keeps words of adjacent blocks apart, decodes entities', () => {
    expect(htmlToText('<p>Fish &amp; chips</p><p>for&nbsp;two &#x2014; &eacute;t&eacute;</p>')).toBe('Fish & chips for two — été');
  });
  it('drops script and style content entirely, and stray closing tags (ESAP sidecars)', () => {
    expect(htmlToText('Workflow for discovering astronomy data in the VO</h1>')).toBe('Workflow for discovering astronomy data in the VO');
    expect(htmlToText('<script>alert(1)</script><style>p{}</style>Safe')).toBe('Safe');
  });
  it('never returns markup, even for encoded markup', () => {
    expect(htmlToText('&lt;b&gt;x&lt;/b&gt;')).toBe('<b>x</b>'); // text, decoded: the site escapes it
    expect(htmlToText('<img src=x onerror=alert(1)>')).toBe('');
  });
});

describe('markdown headings', () => {
  const heading = (markdown: string) => firstHeading(lex(markdown))?.heading ?? null;
  it('reads ATX headings with markup stripped and links reduced to their text', () => {
    expect(heading('# The *M31* [cone search](https://x.org) &amp; `pyvo`')).toEqual({ text: 'The M31 cone search & pyvo', depth: 1 });
  });
  it('reads setext headings', () => {
    expect(heading('Data Discovery\n==============\n\ntext')).toEqual({ text: 'Data Discovery', depth: 1 });
    expect(heading('Sub title\n---------')).toEqual({ text: 'Sub title', depth: 2 });
  });
  it('reads HTML <h1>–<h6> with attributes and nested tags', () => {
    expect(heading('<h1 align="center">Workflow for <b>VO</b> data</h1>')).toEqual({ text: 'Workflow for VO data', depth: 1 });
    expect(heading('<div><H3 class="x">Third &gt; level</H3></div>')).toEqual({ text: 'Third > level', depth: 3 });
  });
  it('takes the first heading in document order, skipping empty ones', () => {
    expect(heading('#\n\nSome text\n\n## Second\n\n# Third')).toEqual({ text: 'Second', depth: 2 });
    expect(heading('just prose')).toBeNull();
  });
});

describe('firstParagraph', () => {
  it('skips badge rows and images, returns prose as plain text', () => {
    const tokens = lex('[![Binder](https://mybinder.org/badge.svg)](https://mybinder.org)\n\n![plot](a.png)\n\nThis **notebook** shows [VO](https://ivoa.net) access.');
    expect(firstParagraph(tokens)).toBe('This notebook shows VO access.');
  });
  it('returns null when there is no prose', () => {
    expect(firstParagraph(lex('---\n\n![x](y.png)'))).toBeNull();
  });
});

describe('cutAtWord', () => {
  it('leaves short text alone', () => {
    expect(cutAtWord('short text', 50)).toBe('short text');
  });
  it('cuts on a word boundary with an ellipsis', () => {
    const cut = cutAtWord('alpha beta gamma delta epsilon zeta eta theta', 25);
    expect(cut.length).toBeLessThanOrEqual(25);
    expect(cut).toBe('alpha beta gamma delta…');
  });
  it('prefers a sentence end when one is near', () => {
    expect(cutAtWord('First sentence is here. Second sentence is much longer than the limit allows', 40)).toBe('First sentence is here.');
  });
});

describe('markdownToText', () => {
  it('flattens a whole document', () => {
    expect(markdownToText('# T\n\n* one\n* two &amp; three\n\n<p>html</p>')).toBe('T one two & three html');
  });
});
