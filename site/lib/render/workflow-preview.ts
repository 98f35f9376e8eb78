/**
 * A workflow's notebook preview as HTML, from its preview file in the catalog, or null when the crawler wrote
 * none. Rendered previews are kept in a content-addressed cache (npm's cacache, in Astro's cache folder),
 * keyed by the preview renderer's version, the site's base path and the exact text of the preview file: the
 * build renders every preview it lacks beforehand, in worker threads (site/integrations/previews.mjs), so a
 * page finds its preview there; a page whose preview is missing (the dev server, a preview changed since)
 * renders it and puts it there.
 */
import { createHash } from 'node:crypto';
import cacache from 'cacache';
import { parsePreview, readPreviewText } from '../load.js';
import { notebookPreviewHtml } from './notebook-preview.js';

/** Where rendered previews are kept, and the version of the code that renders them (previews.mjs). */
export type PreviewCache = { folder: string; version: string };

export function previewKey(version: string, base: string, text: string): string {
  return `${version}:${createHash('sha256').update(base).update('\0').update(text).digest('hex')}`;
}

/** The preview's HTML and its cache key, and whether it came from the cache; null when there is no preview. */
export async function cachedPreview(id: string, base: string, cache: PreviewCache): Promise<{ html: string; key: string; hit: boolean } | null> {
  const read = readPreviewText(id);
  if (!read) return null;
  const key = previewKey(cache.version, base, read.text);
  // A damaged entry is a miss: rendered again, and written anew.
  const found = await cacache.get(cache.folder, key).catch(() => null);
  if (found) return { html: found.data.toString('utf8'), key, hit: true };
  const html = notebookPreviewHtml(parsePreview(id, read), base);
  // The cache is only ever an optimisation: a full disk, say, costs the next build time, nothing more.
  await cacache.put(cache.folder, key, html).catch(() => undefined);
  return { html, key, hit: false };
}

export async function workflowPreviewHtml(id: string, base: string, cache: PreviewCache | null): Promise<string | null> {
  if (cache) return (await cachedPreview(id, base, cache))?.html ?? null;
  const read = readPreviewText(id);
  return read && notebookPreviewHtml(parsePreview(id, read), base);
}
