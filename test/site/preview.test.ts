import { describe, expect, it } from 'vitest';
import { codeHtml, plainCodeHtml } from '../../site/lib/highlight.js';
import { shownOutputs } from '../../site/lib/preview.js';
import type { PreviewOutput } from '../../catalog/contract/index.js';

describe('code cell highlighting (shared Shiki highlighter)', () => {
  it('colours Python tokens with the css-variables theme, in Astro’s <Code> frame', async () => {
    const html = await codeHtml('import numpy as np\nx = np.sin(1)\n', 'python');
    expect(html).toMatch(/^<pre class="astro-code css-variables" [^>]*data-language="python"><code>/);
    expect(html).toContain('<span style="color:var(--astro-code-token-keyword)">import</span>');
    expect(html.match(/<span class="line">/g)).toHaveLength(2);
    expect(html.endsWith('</code></pre>')).toBe(true);
  });

  it('escapes untrusted code, highlighted or not', async () => {
    const hostile = 's = "</code></pre><script>alert(1)</script><img src=x onerror=alert(2)>"';
    for (const html of [await codeHtml(hostile, 'python'), await codeHtml(hostile, 'plaintext'), plainCodeHtml(hostile, 'r')]) {
      expect(html).not.toMatch(/<script|<img|<\/code><\/pre><script/);
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    }
  });

  it('loads another language on first use and keeps one highlighter', async () => {
    const html = await codeHtml('library(ggplot2)\nx <- c(1, 2)', 'r');
    expect(html).toContain('data-language="r"');
    expect(html).toMatch(/color:var\(--astro-code-token-/);
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
