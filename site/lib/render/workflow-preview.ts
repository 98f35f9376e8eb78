/**
 * A workflow's notebook preview as HTML, from its preview file in the catalog, or null when the crawler wrote
 * none. Rendered previews are kept in a content-addressed cache (npm's cacache, in Astro's cache folder),
 * keyed by the preview renderer's version, the site's base path and the exact text of the preview file: the
 * build puts every preview there beforehand, in worker threads (site/integrations/previews.mjs, cachePreview),
 * so a page finds its preview there; a page whose preview is missing (the dev server, a preview changed since)
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

/** Renders `read` into the cache under `key`; the cache is only ever an optimisation (a full disk costs time, nothing more). */
async function rendered(id: string, read: NonNullable<ReturnType<typeof readPreviewText>>, base: string, cache: PreviewCache | null, key: string): Promise<string> {
  const html = notebookPreviewHtml(parsePreview(id, read), base);
  if (cache) await cacache.put(cache.folder, key, html).catch(() => undefined);
  return html;
}

/** Puts the preview of `id` into the cache unless it is there already: its key, and whether it was; null when there is no preview. */
export async function cachePreview(id: string, base: string, cache: PreviewCache): Promise<{ key: string; hit: boolean } | null> {
  const read = readPreviewText(id);
  if (!read) return null;
  const key = previewKey(cache.version, base, read.text);
  // The index alone: whether it is there, without reading it.
  if (await cacache.get.info(cache.folder, key).catch(() => null)) return { key, hit: true };
  await rendered(id, read, base, cache, key);
  return { key, hit: false };
}

export async function workflowPreviewHtml(id: string, base: string, cache: PreviewCache | null): Promise<string | null> {
  const read = readPreviewText(id);
  if (!read) return null;
  const key = cache ? previewKey(cache.version, base, read.text) : '';
  // A damaged entry is a miss: rendered again, and written anew.
  const found = cache && (await cacache.get(cache.folder, key).catch(() => null));
  return found ? found.data.toString('utf8') : rendered(id, read, base, cache, key);
}
