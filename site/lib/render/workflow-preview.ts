/**
 * A workflow's notebook preview as HTML, from its preview file in the catalog, or null when the crawler wrote
 * none. With a cache (the build's, preview-cache.ts), a preview rendered by an earlier build from the very
 * same file is taken from it, unread and unparsed.
 */
import { parsePreview, readPreviewText } from '../load.js';
import { notebookPreviewHtml } from './notebook-preview.js';
import { previewKey, type PreviewCache } from './preview-cache.js';

export async function workflowPreviewHtml(id: string, base: string, cache?: PreviewCache): Promise<string | null> {
  const read = readPreviewText(id);
  if (!read) return null;
  if (!cache) return notebookPreviewHtml(parsePreview(id, read), base);
  const key = previewKey(base, read.text);
  const cached = cache.get(key);
  if (cached !== null) return cached;
  const rendered = await notebookPreviewHtml(parsePreview(id, read), base);
  cache.put(key, rendered);
  return rendered;
}
