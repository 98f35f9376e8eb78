import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { runHighlighterWithAstro } from '@astrojs/prism/dist/highlighter';
import { describe, expect, it } from 'vitest';
import { codeHtml, plainCodeHtml, prismLanguage } from '../../site/lib/highlight.js';
import { HIGHLIGHTED_LANGUAGES, highlightLanguage, shownOutputs } from '../../site/lib/preview.js';
import { CATALOG_DIRS, NotebookPreview, type PreviewOutput } from '../../catalog/contract/index.js';
import { projectRoot } from '../support/build-site.js';

describe('code cell highlighting (Astro’s Prism highlighter)', () => {
  it('marks Python tokens with Prism’s classes, in the astro-code frame', () => {
    const html = codeHtml('import numpy as np\nx = np.sin(1)\n', 'python');
    expect(html).toMatch(/^<pre class="astro-code language-python" tabindex="0" data-language="python"><code>/);
    expect(html).toContain('<span class="token keyword">import</span>');
    expect(html).toContain('<span class="token number">1</span>');
    expect(html.endsWith('x <span class="token operator">=</span> np<span class="token punctuation">.</span>sin<span class="token punctuation">(</span><span class="token number">1</span><span class="token punctuation">)</span></code></pre>')).toBe(true);
  });

  it('escapes untrusted code, highlighted, plain, oversized or in a language Prism does not know', () => {
    const hostile = 's = "</code></pre><script>alert(1)</script><img src=x onerror=alert(2)>"';
    const huge = `${hostile}\n${'x = 1\n'.repeat(5_000)}`;
    const longLine = `${hostile} # ${'y'.repeat(2_000)}`;
    for (const html of [codeHtml(hostile, 'python'), codeHtml(hostile, 'plaintext'), plainCodeHtml(hostile, 'r'), codeHtml(huge, 'python'), codeHtml(longLine, 'python'), codeHtml(hostile, 'not-a-language')]) {
      expect(html).not.toMatch(/<script|<img|<\/code><\/pre><script/);
      expect(html).toMatch(/&lt;script>alert\(1\)&lt;\/script>|&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    }
    // Oversized cells are shown plain rather than run through the grammar.
    expect(codeHtml(huge, 'python')).not.toContain('class="token');
    expect(codeHtml(longLine, 'python')).not.toContain('class="token');
  });

  it('writes exactly what Astro’s highlighter (Prism.highlight) writes, for every code cell of the committed catalog', () => {
    const folder = path.join(projectRoot, 'catalog', CATALOG_DIRS.previews);
    const cells: Array<{ source: string; lang: string }> = [];
    for (const name of readdirSync(folder).filter((file) => file.endsWith('.json'))) {
      const preview = NotebookPreview.parse(JSON.parse(readFileSync(path.join(folder, name), 'utf8')));
      for (const cell of preview.cells) if (cell.type === 'code') cells.push({ source: cell.source, lang: highlightLanguage(preview.language) });
    }
    cells.push({ source: 'x = "a&b <c> \u00a0 &amp; </code>"\n', lang: 'python' }, { source: 'echo "$HOME" && cat <<EOF\n&lt;\nEOF', lang: 'bash' });
    expect(cells.length).toBeGreaterThan(500);
    let highlighted = 0;
    for (const { source, lang } of cells) {
      const html = codeHtml(source, lang);
      if (!html.includes('class="token')) continue;
      highlighted += 1;
      const [open, close] = plainCodeHtml('', lang).split('</code>') as [string, string];
      expect(html).toBe(`${open}${runHighlighterWithAstro(prismLanguage(lang), source.replace(/(?:\r\n|\r|\n)$/, '')).html}</code>${close}`);
    }
    expect(highlighted).toBeGreaterThan(500);
  });

  it('highlights every language we offer, including those Prism names differently', () => {
    const samples: Record<string, string> = {
      python: 'def f(x):\n    return x', r: 'f <- function(x) x', julia: 'function f(x)\n  x\nend', bash: 'if true; then echo 1; fi',
      shell: 'if true; then echo 1; fi', javascript: 'const x = 1', typescript: 'const x: number = 1', c: 'int main() { return 0; }',
      cpp: 'int main() { return 0; }', java: 'class A { }', scala: 'object A { }', sql: 'SELECT 1', matlab: 'function y = f(x)\nend',
      octave: 'function y = f(x)\nend', fortran: 'program p\nend program p', ruby: 'def f; end', rust: 'fn main() { }', go: 'func main() { }',
    };
    for (const language of HIGHLIGHTED_LANGUAGES) {
      expect(samples[language], `a sample for ${language}`).toBeDefined();
      expect(codeHtml(samples[language]!, language), language).toMatch(/<span class="token (keyword|function)/);
      // Astro's highlighter writes the same, also for text that looks like markup.
      const tricky = `${samples[language]!}\n"&amp; <b>&#169;</b> \u00a0 x"`;
      const [open, close] = plainCodeHtml('', language).split('</code>') as [string, string];
      expect(codeHtml(tricky, language), language).toBe(`${open}${runHighlighterWithAstro(prismLanguage(language), tricky).html}</code>${close}`);
    }
  });
});

describe('preview outputs shown on the page', () => {
  it('hides empty outputs (mime "none"), keeps every other omitted output with its reason', () => {
    const outputs: PreviewOutput[] = [
      { type: 'omitted', mime: 'none', reason: 'empty output' },
      { type: 'text', stream: 'stdout', text: 'hello', truncated: false },
      { type: 'omitted', mime: 'image/svg+xml', reason: 'SVG is not shown' },
    ];
    expect(shownOutputs(outputs).map((output) => output.type === 'omitted' ? output.mime : output.type)).toEqual(['text', 'image/svg+xml']);
  });
});
