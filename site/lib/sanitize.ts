/**
 * Untrusted notebook HTML and markdown → inert HTML, by one path: markdown becomes HTML (`marked`), and every
 * piece of HTML (markdown cells and text/html outputs alike) goes through sanitize-html with a strict
 * allow-list: no scripts, styles, event handlers, iframes or SVG; links only to http(s)/mailto; images only
 * from our own media folder or https.
 */
import { randomBytes } from 'node:crypto';
import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { MediaPath } from '../../catalog/contract/index.js';

const marked = new Marked({ gfm: true, breaks: false, async: false });

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

/** sanitize-html's options, alone and fenced, for one (base, heading shift). */
type Options = { plain: sanitizeHtml.IOptions; fenced: sanitizeHtml.IOptions };
/** The options for each (base, heading shift), made once: a build sanitises every cell of thousands of notebooks. */
const optionsFor = new Map<string, Options>();

function memoizedOptions(base: string, headingShift: number): Options {
  const key = `${headingShift} ${base}`;
  let memo = optionsFor.get(key);
  if (!memo) {
    const plain = options(base, headingShift);
    // rel on links and loading, decoding and referrerpolicy on images are ours, so allow them after the transform.
    plain.allowedAttributes = { ...plain.allowedAttributes, a: ['href', 'title', 'rel'], img: ['src', 'alt', 'title', 'width', 'height', 'referrerpolicy', 'loading', 'decoding'] };
    memo = { plain, fenced: { ...plain, allowedTags: [...(plain.allowedTags || []), FENCE] } };
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
