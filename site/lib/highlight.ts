/**
 * Code highlighting for notebook previews: one Shiki highlighter for the whole build (created once, grammars
 * loaded on first use), tokens rendered straight to HTML. Astro's <Code> per cell re-resolved the theme and
 * built a HAST tree for every cell, which made highlighting the largest single cost of a workflow page.
 * Output matches <Code theme="css-variables">: <pre class="astro-code css-variables">, colours as
 * var(--astro-code-token-…) set for light and dark in styles/global.css.
 */
import { createCssVariablesTheme, createHighlighter, type Highlighter } from 'shiki';
import { createJavaScriptRegexEngine } from 'shiki/engine/javascript';
import { escapeAttribute, escapeText } from 'entities';

const THEME = createCssVariablesTheme({ name: 'css-variables', variablePrefix: '--astro-code-' });

/** Cells past this many are shown as plain (escaped) text: previews stay readable, huge notebooks stay cheap. */
export const HIGHLIGHTED_CELLS = 40;

let highlighter: Promise<Highlighter> | null = null;
const loading = new Map<string, Promise<void>>();

async function highlighterFor(lang: string): Promise<Highlighter> {
  // The JavaScript regex engine tokenises short notebook cells ~1.7× faster than the Oniguruma WASM one
  // (measured: 6,000 cells 590 ms vs 998 ms); "forgiving" skips the rare pattern it cannot translate
  // instead of failing the build, at worst leaving a token uncoloured.
  highlighter ??= createHighlighter({ themes: [THEME], langs: [], engine: createJavaScriptRegexEngine({ forgiving: true }) });
  const instance = await highlighter;
  if (lang !== 'plaintext' && !instance.getLoadedLanguages().includes(lang)) {
    if (!loading.has(lang)) loading.set(lang, instance.loadLanguage(lang as Parameters<Highlighter['loadLanguage']>[0]));
    await loading.get(lang);
  }
  return instance;
}

// Shiki stops tokenising a line after 500 ms by default and leaves the rest uncoloured. A grammar compiles its
// patterns lazily, so on a busy machine the first line of a build could pass that limit: the same notebook then
// rendered differently from one build to the next. The limit stays (a hostile line must not stall the build),
// far above any honest line's cost.
const TOKENIZE_TIME_LIMIT_MS = 10_000;

const FONT_STYLE: Record<number, string> = { 1: 'font-style:italic', 2: 'font-weight:bold', 4: 'text-decoration:underline' };

function preOpen(lang: string): string {
  return `<pre class="astro-code css-variables" style="background-color:var(--astro-code-background);color:var(--astro-code-foreground); overflow-x: auto;" tabindex="0" data-language="${escapeAttribute(lang)}"><code>`;
}

/** Escaped, unhighlighted code in the same frame (languages we do not highlight, cells past the limit). */
export function plainCodeHtml(code: string, lang = 'plaintext'): string {
  const lines = code.replace(/(?:\r\n|\r|\n)$/, '').split(/\r\n|\r|\n/);
  return `${preOpen(lang)}${lines.map((line) => `<span class="line">${escapeText(line)}</span>`).join('\n')}</code></pre>`;
}

/** Highlighted HTML for one code cell. `lang` is a name from highlightLanguage() (or 'plaintext'). */
export async function codeHtml(code: string, lang: string): Promise<string> {
  if (lang === 'plaintext') return plainCodeHtml(code, lang);
  const shiki = await highlighterFor(lang);
  const lines = shiki.codeToTokensBase(code.replace(/(?:\r\n|\r|\n)$/, ''), { lang: lang as never, theme: THEME.name as never, tokenizeTimeLimit: TOKENIZE_TIME_LIMIT_MS });
  const out: string[] = [];
  for (const line of lines) {
    let html = '<span class="line">';
    for (const token of line) {
      const styles: string[] = [];
      if (token.color) styles.push(`color:${token.color}`);
      if (token.fontStyle) for (const [bit, css] of Object.entries(FONT_STYLE)) if (token.fontStyle & Number(bit)) styles.push(css);
      const text = escapeText(token.content);
      html += styles.length > 0 ? `<span style="${styles.join(';')}">${text}</span>` : `<span>${text}</span>`;
    }
    out.push(`${html}</span>`);
  }
  return `${preOpen(lang)}${out.join('\n')}</code></pre>`;
}
