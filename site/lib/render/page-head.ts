/**
 * The part of a page's head that differs from page to page: title, description, canonical link, Open Graph.
 * Base.astro writes it for every page; a workflow page's comes from workflow-page.ts, so that the build's
 * worker threads can write workflow pages without Astro (site/lib/build/page-writers.mjs).
 */
import { html } from './html.js';

export const DEFAULT_DESCRIPTION =
  'A catalog of ready-to-run interactive data analysis workflows (Jupyter notebooks) and the compute facilities that run them.';

export type PageHead = {
  title: string;
  description?: string;
  /** Absolute URL of the page. */
  canonical: string;
  /** Open Graph type: "website" for listings, "article" for a workflow page. */
  ogType?: 'website' | 'article';
  /** Absolute image URL for link previews. */
  ogImage?: string | null;
  noindex?: boolean;
};

/** Written as ASCII by the html tag (html.ts): an all-ASCII page builds faster. */
export function pageHeadHtml({ title, description = DEFAULT_DESCRIPTION, canonical, ogType = 'website', ogImage = null, noindex = false }: PageHead): string {
  return html`<title>${title} &middot; ida-catalog</title><meta name="description" content="${description}">${noindex && html`<meta name="robots" content="noindex">`}<link rel="canonical" href="${canonical}"><meta property="og:title" content="${title}"><meta property="og:description" content="${description}"><meta property="og:type" content="${ogType}"><meta property="og:url" content="${canonical}">${
    ogImage && html`<meta property="og:image" content="${ogImage}">`
  }<meta name="twitter:card" content="${ogImage ? 'summary_large_image' : 'summary'}">`.value;
}
