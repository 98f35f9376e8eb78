/**
 * Untrusted notebook HTML and markdown → inert HTML. Markdown goes through `marked`, then everything
 * through sanitize-html with a strict allow-list: no scripts, styles, event handlers, iframes or SVG;
 * links only to http(s)/mailto; images only from our own media folder or https.
 */
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
    allowedSchemes: ['http', 'https', 'mailto'],
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
        return { tagName, attribs: { ...attribs, rel: 'nofollow noopener noreferrer ugc' } };
      },
      img: (tagName, attribs) => {
        const src = attribs.src ?? '';
        const local = MediaPath.safeParse(src.replace(/^\.\//, ''));
        const safeSrc = local.success ? mediaHref(base, local.data) : /^https:\/\//i.test(src) ? src : '';
        return { tagName, attribs: { ...attribs, src: safeSrc, loading: 'lazy', decoding: 'async' } };
      },
    },
    allowedAttributesByTag: undefined,
    exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src,
  } as sanitizeHtml.IOptions;
}

/** The options for each (base, heading shift), made once: a build sanitises every cell of thousands of notebooks. */
const optionsFor = new Map<string, sanitizeHtml.IOptions>();

/** Any untrusted HTML fragment (a text/html output, an HTML block in markdown) → safe HTML. */
export function sanitize(html: string, base = '/', headingShift = 0): string {
  const key = `${headingShift} ${base}`;
  let opts = optionsFor.get(key);
  if (!opts) {
    opts = options(base, headingShift);
    // rel on links and loading on images are ours, so allow them after the transform.
    opts.allowedAttributes = { ...opts.allowedAttributes, a: ['href', 'title', 'rel'], img: ['src', 'alt', 'title', 'width', 'height', 'loading', 'decoding'] };
    optionsFor.set(key, opts);
  }
  return sanitizeHtml(html, opts);
}

/** A markdown cell → safe HTML; `headingShift` demotes its headings to fit under the page's own. */
export function renderMarkdown(source: string, base = '/', headingShift = 0): string {
  return sanitize(marked.parse(source) as string, base, headingShift);
}
