/**
 * Untrusted notebook HTML and markdown → inert HTML. HTML goes through sanitize-html with a strict allow-list:
 * no scripts, styles, event handlers, iframes or SVG; links only to http(s)/mailto; images only from our own
 * media folder or https. Markdown goes through `marked`: a cell with any raw HTML in it then goes through the
 * sanitiser whole; a cell without (most of them) is rendered by `marked` with the same rules built in
 * (plainMarkdownHtml), as the same document the sanitiser would make of it.
 */
import { randomBytes } from 'node:crypto';
import { decodeHTMLAttribute, escapeAttribute, escapeText } from 'entities';
import { Marked, type RendererObject, type Token, type Tokens } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { MediaPath } from '../../catalog/contract/index.js';

const MARKED_OPTIONS = { gfm: true, breaks: false, async: false } as const;
const marked = new Marked(MARKED_OPTIONS);

/** Where catalog media are served from, relative to the site base (see pages/media/[file].ts). */
export function mediaHref(base: string, media: string): string {
  return `${base.replace(/\/?$/, '/')}${media}`;
}

/** h1→h3 etc.: a notebook's own headings sit below the page's h1 and section h2. */
function demoted(levels: number): Record<string, string> {
  if (levels === 0) return {};
  return Object.fromEntries([1, 2, 3, 4, 5, 6].map((level) => [`h${level}`, `h${Math.min(6, level + levels)}`]));
}

/** Every link that leaves the page leaves without a referrer or opener, and is not endorsed. */
const LINK_REL = 'nofollow noopener noreferrer ugc';
const LINK_SCHEMES = ['http', 'https', 'mailto'];

/** An image's source as the page may load it: one of our media files (under `base`) or https; else ''. */
function imageSrc(base: string, src: string): string {
  const local = MediaPath.safeParse(src.replace(/^\.\//, ''));
  return local.success ? mediaHref(base, local.data) : /^https:\/\//i.test(src) ? src : '';
}

/** An image from another host (https) is fetched without a referrer: it is not told which page showed it. */
function isOtherHost(src: string): boolean {
  return /^https:\/\//i.test(src);
}

/**
 * Whether a link may keep its href: an http(s) or mailto URL, or one without a scheme (relative, an anchor).
 * The sanitiser's rule (allowedSchemes, no protocol-relative URLs), for links the sanitiser does not see.
 */
function linkAllowed(href: string): boolean {
  // Browsers ignore whitespace and control characters in a scheme: "java\nscript:" is javascript:.
  const compact = href.replace(/[\u0000-\u0020]+/g, '');
  const scheme = /^([a-zA-Z][a-zA-Z0-9.+-]*):/.exec(compact);
  if (scheme) return LINK_SCHEMES.includes(scheme[1]!.toLowerCase());
  return !/^[/\\]{2}/.test(compact);
}

function options(base: string, headingShift: number): sanitizeHtml.IOptions {
  return {
    allowedTags: [
      'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'blockquote', 'pre', 'code', 'kbd', 'samp', 'var',
      'em', 'strong', 'b', 'i', 'u', 's', 'del', 'ins', 'sub', 'sup', 'small', 'mark', 'abbr', 'span', 'div',
      'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'a', 'img', 'figure', 'figcaption',
      'table', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'caption', 'details', 'summary',
    ],
    allowedAttributes: {
      a: ['href', 'title'],
      img: ['src', 'alt', 'title', 'width', 'height'],
      th: ['colspan', 'rowspan', 'align'],
      td: ['colspan', 'rowspan', 'align'],
      ol: ['start'],
      abbr: ['title'],
    },
    allowedSchemes: LINK_SCHEMES,
    allowedSchemesByTag: { img: ['https'] },
    allowedSchemesAppliedToAttributes: ['href', 'src'],
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    // Text inside dropped script/style/svg… is dropped with it, not shown as stray code.
    nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'svg', 'math', 'iframe', 'object', 'template'],
    transformTags: {
      ...demoted(headingShift),
      a: (tagName, attribs) => {
        const href = attribs.href ?? '';
        // In-page anchors stay; every other link leaves the site without a referrer or opener.
        if (href.startsWith('#')) return { tagName, attribs: { href } };
        return { tagName, attribs: { ...attribs, rel: LINK_REL } };
      },
      img: (tagName, { referrerpolicy: _theirs, ...attribs }) => {
        const src = imageSrc(base, attribs.src ?? '');
        return { tagName, attribs: { ...attribs, src, ...(isOtherHost(src) ? { referrerpolicy: 'no-referrer' } : {}), loading: 'lazy', decoding: 'async' } };
      },
    },
    allowedAttributesByTag: undefined,
    exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src,
  } as sanitizeHtml.IOptions;
}

/**
 * The element that fences each fragment when many are sanitised in one pass (sanitizeAll). Its name is random
 * per process, so no crawled fragment can open or close it.
 */
const FENCE = `ida-fragment-${randomBytes(8).toString('hex')}`;
const FENCE_OPEN = `<${FENCE}>`;
const FENCE_CLOSE = `</${FENCE}>`;

/** sanitize-html's options (alone and fenced), and marked with plainRenderer, for one (base, heading shift). */
type Options = { plain: sanitizeHtml.IOptions; fenced: sanitizeHtml.IOptions; plainMarked: Marked };
/** The options for each (base, heading shift), made once: a build sanitises every cell of thousands of notebooks. */
const optionsFor = new Map<string, Options>();

function memoizedOptions(base: string, headingShift: number): Options {
  const key = `${headingShift} ${base}`;
  let memo = optionsFor.get(key);
  if (!memo) {
    const plain = options(base, headingShift);
    // rel on links and loading, decoding and referrerpolicy on images are ours, so allow them after the transform.
    plain.allowedAttributes = { ...plain.allowedAttributes, a: ['href', 'title', 'rel'], img: ['src', 'alt', 'title', 'width', 'height', 'referrerpolicy', 'loading', 'decoding'] };
    const plainMarked = new Marked({ ...MARKED_OPTIONS, renderer: plainRenderer(base, headingShift) });
    memo = { plain, fenced: { ...plain, allowedTags: [...(plain.allowedTags || []), FENCE] }, plainMarked };
    optionsFor.set(key, memo);
  }
  return memo;
}

/** Any untrusted HTML fragment (a text/html output, an HTML block in markdown) → safe HTML. */
export function sanitize(html: string, base = '/', headingShift = 0): string {
  return sanitizeHtml(html, memoizedOptions(base, headingShift).plain);
}

/**
 * The pieces between the fences, or null unless the output is exactly `count` fenced pieces in order and then
 * an empty one. The empty one catches the last fragment swallowing its own fence: the parser would otherwise
 * close that fence at the end of the input, as if nothing had happened.
 */
function unfenced(output: string, count: number): string[] | null {
  const parts = output.split(FENCE_OPEN);
  if (parts.length !== count + 2 || parts[0] !== '' || parts[count + 1] !== FENCE_CLOSE) return null;
  const pieces: string[] = [];
  for (let index = 1; index <= count; index += 1) {
    const part = parts[index]!;
    if (!part.endsWith(FENCE_CLOSE)) return null;
    const piece = part.slice(0, -FENCE_CLOSE.length);
    if (piece.includes(FENCE_CLOSE)) return null;
    pieces.push(piece);
  }
  return pieces;
}

/**
 * Many fragments (a notebook's markdown cells and HTML outputs) → the same as `sanitize` on each, in one
 * pass. sanitize-html spends most of its time on a short fragment setting itself up (options, parser, its
 * per-call classes), and a notebook has dozens. Each fragment is fenced by an element only we can name: the
 * parser closes whatever a fragment left open at its fence, as it would at the end of that fragment alone.
 * A fragment that swallows a fence (an unclosed comment, `<script>` or attribute quote) breaks the fencing,
 * which is detected, and then each fragment is sanitised alone: the result never depends on a neighbour.
 */
export function sanitizeAll(fragments: readonly string[], base = '/', headingShift = 0): string[] {
  const { plain, fenced } = memoizedOptions(base, headingShift);
  if (fragments.length < 2) return fragments.map((fragment) => sanitizeHtml(fragment, plain));
  const input = `${FENCE_OPEN}${fragments.join(FENCE_CLOSE + FENCE_OPEN)}${FENCE_CLOSE}${FENCE_OPEN}${FENCE_CLOSE}`;
  return unfenced(sanitizeHtml(input, fenced), fragments.length) ?? fragments.map((fragment) => sanitizeHtml(fragment, plain));
}

/** A markdown cell → HTML for the sanitiser (not safe on its own: sanitize or sanitizeAll it). */
export function markdownHtml(source: string): string {
  return marked.parse(source) as string;
}

/**
 * What marked writes without any raw HTML in its input. Each writes escaped text (marked's own renderer), except
 * where marked passes an untrusted string through: link and image URLs (and an image's alt text), a code block's
 * language (a class), task lists' checkboxes. Those plainMarkdownHtml's renderer writes itself.
 */
const PLAIN_TOKENS = new Set(['space', 'code', 'heading', 'table', 'hr', 'blockquote', 'list', 'list_item', 'paragraph', 'text', 'def', 'escape', 'link', 'image', 'strong', 'em', 'codespan', 'br', 'del']);

/**
 * marked's renderer with the sanitiser's rules built in (its options() above): headings demoted, links with a
 * checked href and our rel, images only from our media or https (or not at all), no checkboxes, no classes.
 * Every attribute value is written as the browser is to read it: entities decoded first (as the sanitiser's
 * parser decodes them), then the value checked, then escaped.
 */
function plainRenderer(base: string, headingShift: number): RendererObject {
  // marked's own URL clean-up: what its renderer would have written, before the browser decodes entities.
  const attributeUrl = (href: string): string | null => {
    try {
      return decodeHTMLAttribute(encodeURI(href).replace(/%25/g, '%'));
    } catch {
      return null;
    }
  };
  const titled = (title: string | null | undefined) => (title ? ` title="${escapeAttribute(decodeHTMLAttribute(title))}"` : '');
  return {
    heading({ tokens, depth }) {
      const level = Math.min(6, depth + headingShift);
      return `<h${level}>${this.parser.parseInline(tokens)}</h${level}>\n`;
    },
    code({ text, escaped }) {
      const code = `${text.replace(/\n$/, '')}\n`;
      return `<pre><code>${escaped ? code : escapeText(code)}</code></pre>\n`;
    },
    link({ href, title, tokens }) {
      const text = this.parser.parseInline(tokens);
      const url = attributeUrl(href);
      if (url === null) return text;
      // An empty href is dropped too (the sanitiser drops empty attributes).
      const allowed = url !== '' && linkAllowed(url);
      // In-page anchors stay as they are; any other link leaves without a referrer or opener (or, refused, without its href).
      if (allowed && url.startsWith('#')) return `<a href="${escapeAttribute(url)}">${text}</a>`;
      const linked = allowed ? ` href="${escapeAttribute(url)}"` : '';
      return `<a${linked}${titled(title)} rel="${LINK_REL}">${text}</a>`;
    },
    image({ href, title, text, tokens }) {
      const alt = decodeHTMLAttribute(tokens ? this.parser.parseInline(tokens, this.parser.textRenderer) : text);
      const url = attributeUrl(href);
      if (url === null) return escapeText(alt);
      const src = imageSrc(base, url);
      if (!src) return '';
      return `<img src="${escapeAttribute(src)}" alt="${escapeAttribute(alt)}"${titled(title)}${isOtherHost(src) ? ' referrerpolicy="no-referrer"' : ''} loading="lazy" decoding="async">`;
    },
    checkbox: () => '',
    // Never reached: a cell with raw HTML is the sanitiser's (plainMarkdownHtml). Shown as text all the same.
    html: ({ text }) => escapeText(text),
  };
}

/**
 * A markdown cell as safe HTML, when it holds no raw HTML: the document sanitize(markdownHtml(source)) makes,
 * without the sanitiser's second parse (most of a notebook preview's rendering time). Null when the cell has
 * raw HTML, or anything else marked would write unchecked: sanitise its markdownHtml instead.
 */
export function plainMarkdownHtml(source: string, base = '/', headingShift = 0): string | null {
  const plain = memoizedOptions(base, headingShift).plainMarked;
  const tokens = plain.lexer(source);
  return onlyPlainTokens(tokens) ? plain.parser(tokens) : null;
}

/**
 * Whether every token, nested ones included, is of a type in PLAIN_TOKENS: the tokens marked's walkTokens
 * visits (table cells, list items, any token's own tokens; we register no extensions), without its copying of
 * every callback's result, and stopping at the first other one.
 */
function onlyPlainTokens(tokens: readonly Token[]): boolean {
  for (const token of tokens) {
    if (!PLAIN_TOKENS.has(token.type)) return false;
    if (token.type === 'table') {
      const table = token as Tokens.Table;
      if (!table.header.every((cell) => onlyPlainTokens(cell.tokens)) || !table.rows.every((row) => row.every((cell) => onlyPlainTokens(cell.tokens)))) return false;
    } else if (token.type === 'list') {
      if (!onlyPlainTokens((token as Tokens.List).items)) return false;
    } else if ('tokens' in token && token.tokens && !onlyPlainTokens(token.tokens)) {
      return false;
    }
  }
  return true;
}
