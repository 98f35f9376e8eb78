/**
 * The build's page writers (site/lib/build/page-writers.mjs), as page code sees them: worker threads that
 * write the workflow pages from a template, and export the search index's shard files. Absent in the dev
 * server: pages then do that work themselves.
 */
/** Where site/lib/build/render-workers.mjs puts the writers. */
const PAGE_WRITERS = Symbol.for('ida-catalog.page-writers');

/**
 * Writes, in the build's own thread, every workflow page not in `written` (pages a stopped worker left), from
 * the rendered template into the output folder; returns how many it wrote. The workflow route provides it:
 * it has the catalog and Astro's configuration at hand.
 */
export type InProcessPages = (template: string, written: ReadonlySet<string>, outDir: string) => Promise<number>;

export type BuildWriters = {
  /** `base` as the workers render links with. */
  base: string;
  /**
   * Whether the workers write the workflow pages, so the route renders only the template
   * (page-template.ts); false when none is running, and Astro renders every page.
   */
  writePages: (inProcess: InProcessPages) => Promise<boolean>;
  /** A search index shard file (JSON text), or null: export it in-process. */
  shardFile: (key: string) => Promise<string | null>;
};

export function buildWriters(): BuildWriters | undefined {
  return (globalThis as Record<symbol, BuildWriters | undefined>)[PAGE_WRITERS];
}
