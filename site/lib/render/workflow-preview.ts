/**
 * A workflow's notebook preview as HTML, from its preview file in the catalog, or null when the crawler wrote
 * none. Rendered previews are kept in a content-addressed cache (npm's cacache, in Astro's cache folder),
 * keyed by the preview renderer's version, the site's base path and the exact text of the preview file: the
 * build puts every preview there beforehand, in worker threads (site/integrations/previews.mjs, cachePreview),
 * so a page finds its preview there; a page whose preview is missing (the dev server, a preview changed since)
 * renders it and puts it there. The build's preview step also leaves in the cache folder a table of each
 * key's content digest, so that a page reads its preview by digest instead of looking its key up in the
 * cache's index (a file read and parse per page, ~0.2 ms of a page's ~2.5), and the next step finds what it
 * rendered before without that lookup either.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import cacache from 'cacache';
import { parsePreview, readPreviewText } from '../load.js';
import { notebookPreviewHtml } from './notebook-preview.js';

/**
 * Where rendered previews are kept, the version of the code that renders them (previews.mjs), and the file
 * where the preview step lists the digest of each key's content (JSON pairs of key and integrity).
 */
export type PreviewCache = { folder: string; version: string; table: string };

/**
 * The preview step's table, read once: keys are of content, so a table older than a preview (the dev server
 * keeps it while notebooks change) only lacks that key, and a digest whose content is gone is a miss.
 */
const tables = new Map<string, Promise<ReadonlyMap<string, string>>>();
function digestTable(file: string): Promise<ReadonlyMap<string, string>> {
  let table = tables.get(file);
  if (!table) {
    // None (a first build, the dev server before any build) or unreadable: every key is looked up in the index.
    table = readFile(file, 'utf8')
      .then((text) => new Map<string, string>(JSON.parse(text)))
      .catch(() => new Map<string, string>());
    tables.set(file, table);
  }
  return table;
}

/** The content under `key`: by the digest the table gives, else through the cache's index; null when missing or damaged. */
async function cached(cache: PreviewCache, key: string): Promise<Buffer | null> {
  const integrity = (await digestTable(cache.table)).get(key);
  const found = integrity ? await cacache.get.byDigest(cache.folder, integrity).catch(() => null) : null;
  return found ?? (await cacache.get(cache.folder, key).then((entry) => entry.data, () => null));
}

export function previewKey(version: string, base: string, text: string): string {
  return `${version}:${createHash('sha256').update(base).update('\0').update(text).digest('hex')}`;
}

/** Renders `read` into the cache under `key`: the HTML, and its content's integrity unless the cache could not take it. */
async function rendered(id: string, read: NonNullable<ReturnType<typeof readPreviewText>>, base: string, cache: PreviewCache | null, key: string): Promise<{ html: string; integrity: string | null }> {
  const html = notebookPreviewHtml(parsePreview(id, read), base);
  // The cache is only ever an optimisation: a full disk costs time, nothing more. (put resolves to ssri's
  // Integrity object, whatever its type says: its string is what crosses threads and files.)
  const integrity = cache ? await cacache.put(cache.folder, key, html).then(String, () => null) : null;
  return { html, integrity };
}

/**
 * Puts the preview of `id` into the cache unless it is there already: its key, its content's integrity (null
 * if the cache could not take it) and whether it was there; null when there is no preview.
 */
export async function cachePreview(id: string, base: string, cache: PreviewCache): Promise<{ key: string; integrity: string | null; hit: boolean } | null> {
  const read = readPreviewText(id);
  if (!read) return null;
  const key = previewKey(cache.version, base, read.text);
  // Listed by the last step (whose table names only content it kept), else the index alone: whether it is
  // there, without reading it.
  const listed = (await digestTable(cache.table)).get(key);
  if (listed) return { key, integrity: listed, hit: true };
  const info = await cacache.get.info(cache.folder, key).catch(() => null);
  if (info) return { key, integrity: info.integrity, hit: true };
  const { integrity } = await rendered(id, read, base, cache, key);
  return { key, integrity, hit: false };
}

export async function workflowPreviewHtml(id: string, base: string, cache: PreviewCache | null): Promise<string | null> {
  const read = readPreviewText(id);
  if (!read) return null;
  const key = cache ? previewKey(cache.version, base, read.text) : '';
  // A damaged entry is a miss: rendered again, and written anew.
  const found = cache && (await cached(cache, key));
  return found ? found.toString('utf8') : (await rendered(id, read, base, cache, key)).html;
}
