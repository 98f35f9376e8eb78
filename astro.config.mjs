// The site is a static build (no server) from facilities.yaml and catalog/*.json.
// IDA_FACILITIES and IDA_CATALOG_DIR point a build (a test, a benchmark) at other inputs;
// IDA_SITE_URL sets the public origin used in canonical links, Open Graph and JSON-LD.
import { defineConfig } from 'astro/config';
import { contentStoreAtRuntime } from './site/integrations/content-store.mjs';
import { buildMemoryCap } from './site/integrations/memory-cap.mjs';
import { notebookPreviews } from './site/integrations/previews.mjs';
import { workflowThumbnails } from './site/integrations/thumbnails.mjs';

export default defineConfig({
  srcDir: './site',
  publicDir: './site/public',
  outDir: process.env.IDA_OUT_DIR || './dist',
  cacheDir: process.env.IDA_CACHE_DIR || './node_modules/.astro',
  site: process.env.IDA_SITE_URL || 'https://ida-catalog.example.org',
  base: process.env.IDA_BASE_PATH || '/',
  trailingSlash: 'always',
  output: 'static',
  // Pages render one after another by default; sixteen in flight overlap each page's file I/O (reading its
  // preview from the cache, writing its HTML) with rendering the others: 2,000 workflow pages took 5.3–5.9 s
  // against 6.8–7.1 s with four (three alternating builds each, on 2 cores). Stylesheets are always files:
  // inlined, the Launch panel's rules were repeated in each of 10,000 workflow pages instead of fetched once.
  build: { format: 'directory', concurrency: 16, inlineStylesheets: 'never' },
  // No script is ever inlined (Astro inlines small ones by default): the Content-Security-Policy allows
  // scripts from this site's files only (site/lib/csp.ts). Other assets keep Vite's default.
  vite: { build: { assetsInlineLimit: (file) => (file.endsWith('.js') ? false : undefined) } },
  integrations: [contentStoreAtRuntime(), buildMemoryCap(), notebookPreviews(), workflowThumbnails()],
});
