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
import Prism from 'prismjs';
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
const PRISM_NAMES = new Map<string, string>([['shell', 'bash'], ['octave', 'matlab']]);

/** The name Prism (and Astro's highlighter) knows one of our languages by. */
export function prismLanguage(lang: string): string {
  return PRISM_NAMES.get(lang) ?? lang;
}

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

/** Prism's grammar for one of our languages, loaded the way Astro's highlighter loads it; null when Prism has none. */
const grammars = new Map<string, Prism.Grammar | null>();
function grammarOf(prismName: string): Prism.Grammar | null {
  let grammar = grammars.get(prismName);
  if (grammar === undefined) {
    runHighlighterWithAstro(prismName, '');
    grammars.set(prismName, (grammar = Prism.languages[prismName] ?? null));
  }
  return grammar;
}

const PRISM_SPECIAL = /[&<\u00a0]/;

/** Prism's own escaping of a token's text (Prism.util.encode): `&`, `<`, and no-break spaces as spaces. */
function prismEscape(text: string): string {
  return PRISM_SPECIAL.test(text) ? text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/\u00a0/g, ' ') : text;
}

/**
 * Prism.highlight's markup from Prism's tokens (Token.stringify), escaping each text as it is written instead of
 * first copying the whole token tree escaped (Prism.util.encode). Prism's `wrap` hooks are not run: of the
 * grammars loaded, only markup registers one (titles on HTML entity tokens), and no language we highlight makes
 * such tokens. The copy and the hooks were a third of a code cell's time (test/site/preview.test.ts checks the
 * markup is Prism.highlight's, for every language we highlight and every code cell of the committed catalog).
 */
function tokensHtml(stream: Prism.TokenStream): string {
  if (typeof stream === 'string') return prismEscape(stream);
  if (Array.isArray(stream)) {
    let markup = '';
    for (const token of stream) markup += tokensHtml(token);
    return markup;
  }
  const { type, alias, content } = stream;
  const classes = alias ? `token ${type} ${Array.isArray(alias) ? alias.join(' ') : alias}` : `token ${type}`;
  return `<span class="${classes}">${tokensHtml(content)}</span>`;
}

/** Prism.highlight's markup for the languages we highlight (tokensHtml), tokenize hooks included. */
function prismHtml(code: string, grammar: Prism.Grammar, language: string): string {
  const env: Prism.hooks.TokenizeEnvironment & { tokens?: Prism.TokenStream } = { code, grammar, language };
  Prism.hooks.run('before-tokenize', env);
  env.tokens = Prism.tokenize(env.code, env.grammar);
  Prism.hooks.run('after-tokenize', env);
  return tokensHtml(env.tokens);
}

/** Highlighted HTML for one code cell. `lang` is a name from highlightLanguage(); any other is shown plain. */
export function codeHtml(code: string, lang: string): string {
  if (!HIGHLIGHTED_LANGUAGES.has(lang) || tooLarge(code)) return plainCodeHtml(code, lang);
  const prismName = prismLanguage(lang);
  const grammar = grammarOf(prismName);
  // Without a grammar Prism would hand the code back as it came, unescaped: show it plain.
  if (!grammar) return plainCodeHtml(code, lang);
  return `${preOpen(lang)}${prismHtml(withoutFinalNewline(code), grammar, prismName)}</code></pre>`;
}
