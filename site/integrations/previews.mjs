// The build's preview step. A workflow page's notebook preview is most of its cost (sanitising, highlighting),
// so before Astro renders its pages a small pool of worker threads (the only ones in the build) renders every
// preview the cache lacks (site/lib/render/preview-worker.ts) into a content-addressed cache (cacache) in
// Astro's cache folder, which CI keeps between nightly builds. Each workflow page then finds its preview there
// (components/NotebookPreview.astro); the dev server takes the same path, rendering a preview on a miss. The
// step starts once the configuration is known and runs while Astro syncs content and bundles; the build waits
// for it when bundling ends, before the first page.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cacache from 'cacache';
import { build } from 'esbuild';
import Tinypool from 'tinypool';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ENTRY = path.join(ROOT, 'site', 'lib', 'render', 'preview-worker.ts');
/** Worker threads beyond four gain little. */
const MAX_WORKERS = 4;
/** Tasks per worker: small enough that a thread with large notebooks does not hold the step up. */
const TASKS_PER_WORKER = 8;
/** Entries no preview uses any more are removed once they are this share of the cache (removal rewrites its index). */
const MAX_DEAD_SHARE = 0.25;

/**
 * Bundles the preview worker into node_modules/.cache/ida-catalog/ (where its imports of packages resolve),
 * named by its version: a hash of the bundle (the code a preview's HTML depends on) and of the lockfile (the
 * libraries it imports). A change elsewhere in the site keeps the cache; one to the preview's code starts anew.
 * @returns {Promise<{ file: string; version: string; inputs: string[] }>} and the project files bundled
 */
export async function bundlePreviewWorker() {
  const [result, lockfile] = await Promise.all([
    build({ entryPoints: [ENTRY], bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', write: false, logLevel: 'silent', metafile: true }),
    readFile(path.join(ROOT, 'package-lock.json')).catch(() => Buffer.alloc(0)),
  ]);
  const code = result.outputFiles[0]?.text ?? '';
  const version = createHash('sha256').update(code).update('\0').update(lockfile).digest('hex').slice(0, 16);
  const file = path.join(ROOT, 'node_modules', '.cache', 'ida-catalog', `preview-worker-${version}.mjs`);
  if (!existsSync(file)) {
    await mkdir(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    await writeFile(temporary, code);
    await rename(temporary, file);
  }
  return { file, version, inputs: Object.keys(result.metafile?.inputs ?? {}).sort() };
}

/**
 * Renders into `cache` every preview of the catalog that it lacks, on `workers` threads, and writes the table of
 * their content digests (cache.table) that pages read them by; then removes the entries no preview uses any
 * more once they are a good share of the cache.
 * @param {string} workerFile the bundle (bundlePreviewWorker)
 * @param {{ base: string; cache: import('../lib/render/workflow-preview.ts').PreviewCache; workers?: number }} options
 * @returns {Promise<{ hits: number; rendered: number; removed: number; seconds: number }>}
 */
export async function renderPreviews(workerFile, { base, cache, workers = Math.min(availableParallelism(), MAX_WORKERS) }) {
  const started = performance.now();
  const pool = new Tinypool({ filename: workerFile, minThreads: workers, maxThreads: workers });
  /** @type {import('../lib/render/preview-worker.ts').PreviewTaskResult[]} */
  let results;
  /** The index as it was before this step's entries (which are all used): the dead ones are among these. */
  let indexed;
  try {
    const shards = workers * TASKS_PER_WORKER;
    // Listing the index reads every entry (~1 s for 10,000): in the pool, beside the renders, not after them.
    /** @type {Promise<string[]>} */
    const listing = pool.run(cache.folder, { name: 'indexedKeys' });
    results = await Promise.all(Array.from({ length: shards }, (_, shard) => pool.run({ shard, shards, base, cache })));
    indexed = await listing;
  } finally {
    await pool.destroy();
  }
  const used = new Map(results.flatMap((result) => result.used));
  const table = `${cache.table}.${process.pid}.tmp`;
  await mkdir(path.dirname(table), { recursive: true });
  await writeFile(table, JSON.stringify([...used].filter(([, integrity]) => integrity !== null)));
  await rename(table, cache.table);
  const entries = new Set([...indexed, ...used.keys()]).size;
  const dead = indexed.filter((key) => !used.has(key)).length;
  // Rewrites the index without the dead entries and deletes the content only they held.
  const removed = dead > entries * MAX_DEAD_SHARE ? dead : 0;
  if (removed > 0) await cacache.verify(cache.folder, { filter: (entry) => used.has(entry.key) });
  const sum = (/** @type {'hits' | 'rendered'} */ field) => results.reduce((total, result) => total + result[field], 0);
  return { hits: sum('hits'), rendered: sum('rendered'), removed, seconds: (performance.now() - started) / 1000 };
}

/** @returns {import('astro').AstroIntegration} */
export function notebookPreviews() {
  /** @type {Awaited<ReturnType<typeof bundlePreviewWorker>>} */
  let worker;
  /** @type {import('../lib/render/workflow-preview.ts').PreviewCache} */
  let cache;
  /** @type {string} */
  let command;
  /** The preview step of this build; it never fails (see below). @type {Promise<void> | undefined} */
  let step;
  return {
    name: 'ida:notebook-previews',
    hooks: {
      'astro:config:setup': async ({ config, command: running, updateConfig }) => {
        command = running;
        worker = await bundlePreviewWorker();
        const folder = path.join(fileURLToPath(config.cacheDir), 'ida-previews');
        // The table lives in the cache folder (cacache keeps to its own subfolders): removing one removes both.
        cache = { folder, version: worker.version, table: path.join(folder, 'digests.json') };
        updateConfig({
          vite: {
            // Where pages find the rendered previews (NotebookPreview.astro).
            define: { __IDA_PREVIEW_CACHE__: JSON.stringify(cache) },
            // The end of each of the build's bundling steps: pages are rendered only after the last one.
            plugins: [{ name: 'ida:notebook-previews', apply: 'build', closeBundle: () => step }],
          },
        });
      },
      'astro:config:done': ({ config, logger }) => {
        if (command !== 'build') return;
        step = renderPreviews(worker.file, { base: config.base.replace(/\/?$/, '/'), cache }).then(
          ({ hits, rendered, removed, seconds }) => logger.info(`notebook previews: ${hits} from the build cache, ${rendered} rendered, ${removed} removed, in ${seconds.toFixed(1)} s (${cache.folder})`),
          // Only ever an optimisation: each page renders a preview the cache lacks.
          (error) => logger.warn(`the preview step failed (${error instanceof Error ? error.message : error}); each page renders its own preview`),
        );
      },
    },
  };
}
