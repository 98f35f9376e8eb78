/**
 * The site's Content-Security-Policy, sent as a `<meta http-equiv>` in every built page (layouts/Base.astro):
 * defence in depth behind the sanitiser and the escape-by-default templates. Should anything crawled ever
 * slip through as markup, it cannot run a script, load one from elsewhere, send data anywhere but this site,
 * or frame or post to another site.
 *
 * - scripts only from this site's own files: Astro bundles every `<script>` into /_astro/*.js (the build
 *   never inlines one: astro.config.mjs, `assetsInlineLimit`), and the pages carry no event-handler
 *   attributes. JSON in `<script type="application/json">` / `application/ld+json` is data, which CSP
 *   does not govern;
 * - styles only from this site's stylesheets (the build writes them as files; no style attributes);
 * - images from this site (thumbnails, notebook figures in /media/) and, over https, the images notebooks
 *   link to (sent without a referrer: site/lib/sanitize.ts);
 * - fetch only to this site (the search index);
 * - forms submit only to this site; no `<base>`, plugins, frames or workers.
 *
 * A `<meta>` policy cannot carry frame-ancestors or reporting (a server header would); browsers ignore those
 * there with a console warning, so they are left out.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' https:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');
