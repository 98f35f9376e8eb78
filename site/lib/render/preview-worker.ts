/**
 * The build's preview step, one task of its worker pool (site/integrations/previews.mjs bundles this module;
 * the bundle's hash is the preview cache's version): puts into the cache every preview of the task's share of
 * the catalog that is not there yet. A preview that cannot be rendered is left out: its page renders it again
 * and fails the build, the file and the problem named.
 */
import cacache from 'cacache';
import pLimit from 'p-limit';
import { previewIds } from '../load.js';
import { cachePreview, type PreviewCache } from './workflow-preview.js';

/** The task renders every `shards`-th preview, from the `shard`-th on. */
export type PreviewTask = { shard: number; shards: number; base: string; cache: PreviewCache };
/** The keys the task's previews are under, each with its content's integrity (null if the cache could not take it). */
export type PreviewTaskResult = { used: Array<[key: string, integrity: string | null]>; hits: number; rendered: number };

/** Previews in flight in one task: a cache lookup is a few file-system round trips, overlapped here. */
const IN_FLIGHT = 8;

export default async function renderPreviews({ shard, shards, base, cache }: PreviewTask): Promise<PreviewTaskResult> {
  const result: PreviewTaskResult = { used: [], hits: 0, rendered: 0 };
  const limit = pLimit(IN_FLIGHT);
  const ids = previewIds().filter((_, index) => index % shards === shard);
  await Promise.all(
    ids.map((id) =>
      limit(async () => {
        const preview = await cachePreview(id, base, cache).catch(() => null);
        if (!preview) return;
        result.used.push([preview.key, preview.integrity]);
        if (preview.hit) result.hits += 1;
        else result.rendered += 1;
      }),
    ),
  );
  return result;
}

/** The keys in the cache's index (a read of every entry: a task of its own, beside the renders, off the build's main thread). */
export async function indexedKeys(folder: string): Promise<string[]> {
  return Object.keys(await cacache.ls(folder));
}
