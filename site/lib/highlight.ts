/**
 * Code highlighting for notebook previews, with Astro's built-in Prism highlighter (@astrojs/prism, what
 * `<Prism>` and `markdown.syntaxHighlight: 'prism'` use). Shiki's TextMate grammars gave the same colours
 * ~12× slower (measured over the 796 code cells of the committed catalog's real notebooks: 285 ms against
 * 23 ms), which at 10,000 real notebooks was most of a site build; Prism's class-based tokens are also half
 * the markup of Shiki's inline styles. Colours: `.token.*` mapped onto the --astro-code-* palette for light
 * and dark in styles/global.css.
 */
import { runHighlighterWithAstro } from '@astrojs/prism/dist/highlighter';
import { escapeAttribute, escapeText } from 'entities';
import { HIGHLIGHTED_LANGUAGES } from './preview.js';

/** Cells past this many are shown as plain (escaped) text: previews stay readable, huge notebooks stay cheap. */
export const HIGHLIGHTED_CELLS = 40;

/**
 * Cells larger than this, or with a line longer than LONGEST_LINE, are shown plain: a regex highlighter's
 * cost grows with what it is given, and a crawled notebook may hold anything (minified code, pasted data).
 */
const LARGEST_CELL = 20_000;
const LONGEST_LINE = 1_000;

/** Our language names (highlightLanguage()) that Prism knows under another name. */
const PRISM_NAMES: Record<string, string> = { shell: 'bash', octave: 'matlab' };

function preOpen(lang: string): string {
  return `<pre class="astro-code language-${escapeAttribute(lang)}" tabindex="0" data-language="${escapeAttribute(lang)}"><code>`;
}

function withoutFinalNewline(code: string): string {
  return code.replace(/(?:\r\n|\r|\n)$/, '');
}

/** Escaped, unhighlighted code in the same frame (languages we do not highlight, cells past the limits). */
export function plainCodeHtml(code: string, lang = 'plaintext'): string {
  return `${preOpen(lang)}${escapeText(withoutFinalNewline(code))}</code></pre>`;
}

function tooLarge(code: string): boolean {
  return code.length > LARGEST_CELL || code.split('\n').some((line) => line.length > LONGEST_LINE);
}

/** Highlighted HTML for one code cell. `lang` is a name from highlightLanguage(); any other is shown plain. */
export function codeHtml(code: string, lang: string): string {
  if (!HIGHLIGHTED_LANGUAGES.has(lang) || tooLarge(code)) return plainCodeHtml(code, lang);
  const source = withoutFinalNewline(code);
  const { html } = runHighlighterWithAstro(PRISM_NAMES[lang] ?? lang, source);
  // Without a grammar Prism hands the code back as it came, unescaped: never let that through.
  if (html === source && /[<&]/.test(source)) return plainCodeHtml(code, lang);
  return `${preOpen(lang)}${html}</code></pre>`;
}
