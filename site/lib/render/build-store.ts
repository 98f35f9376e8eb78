/**
 * The build's store of work the worker thread did ahead of the pages (site/lib/build/body-store.mjs), as
 * page code sees it. Absent in the dev server and on a one-core machine: pages then do that work themselves.
 */

/** Where site/lib/build/render-workers.mjs puts the store. */
const BODY_STORE = Symbol.for('ida-catalog.body-store');

export type BuildStore = {
  /** `base` as the worker rendered links with. */
  base: string;
  /** A workflow page's body, or null: render it in-process. */
  get: (id: string) => Promise<string | null>;
  /** A search index shard file (JSON text), or null: export it in-process. */
  shardFile: (key: string) => Promise<string | null>;
};

export function buildStore(): BuildStore | undefined {
  return (globalThis as Record<symbol, BuildStore | undefined>)[BODY_STORE];
}
