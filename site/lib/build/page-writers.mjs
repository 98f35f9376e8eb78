// The build's workflow pages, written by worker threads (site/lib/render/page-worker.ts), one per core, while
// Astro's own thread syncs content, bundles and renders the other pages. Astro renders the workflow route
// once, as a template (site/lib/render/page-template.ts); the workers write every workflow's page from it.
// Astro's per-page work was most of a 10,000-workflow build's time (bench/site), and it runs on one thread.
//
// The workers start with the build, long before the template exists: pages rendered before it arrives wait
// in a staging folder. A worker that stops leaves its pages to the build's thread, which writes them
// in-process (the workflow route hands over how: `writePages`); a page that cannot be rendered fails the
// build at its end, naming the file and what is wrong with it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { MessageChannel, Worker } from 'node:worker_threads';

/** Where page code finds the build's writers (a separate module instance inside Astro's bundle). */
export const PAGE_WRITERS = Symbol.for('ida-catalog.page-writers');

/** @typedef {import('../render/page-worker.ts').PageWorkerMessage} PageWorkerMessage */
/** @typedef {import('../render/page-worker.ts').WorkerPreviews} WorkerPreviews */
/** @typedef {import('../render/build-writers.ts').InProcessPages} InProcessPages */

/**
 * Each worker's heap limit. Its live heap is ~60 MB at 10,000 workflows (the catalog's records and the page in
 * hand), but under Node's default limit (~4 GB here) V8 let a worker grow past 250 MB, mostly garbage. A
 * catalog that needs more (roughly 40,000 workflows) stops the workers with an out-of-memory error, and the
 * build's thread writes their pages: slower, with a warning, still correct. IDA_PAGE_WORKER_HEAP_MIB raises it.
 */
export const WORKER_HEAP_MIB = 256;
/**
 * Each worker's young generation. A page allocates ~1 MB that dies with it (tokens, markup): with V8's default a
 * worker collected its young generation every ~10 pages; this halves how often, and the time it spends on it
 * by ~a fifth (--trace-gc, 10,000 real previews: 650 → 340 scavenges, 1.4 → 1.2 s).
 */
const WORKER_YOUNG_MIB = 64;
/** How many failures the build's error lists. */
const LISTED_FAILURES = 10;

export class PageWriters {
  /** @type {Array<{ worker: Worker; port: import('node:worker_threads').MessagePort; done: boolean; stopped: boolean; exited: Promise<void> }>} */
  #workers = [];
  /** Ids of the pages the workers wrote. */
  #written = new Set();
  /** @type {Array<{ id: string; message: string }>} */
  #failed = [];
  /** @type {WorkerPreviews[]} */
  #previews = [];
  /** @type {(files: Record<string, string> | null) => void} */
  #settleShards = () => {};
  /** The shard files once a worker sends them; null if none will. @type {Promise<Record<string, string> | null>} */
  #shards = new Promise((resolve) => (this.#settleShards = resolve));
  /** Set by the workflow route when it renders only the template. @type {InProcessPages | null} */
  #inProcess = null;
  /** The rendered template page; null until it is known. @type {string | null} */
  #template = null;
  #staging;
  #previewCache;
  #workerFile;
  #outDir;
  #removeStaging = () => rmSync(this.#staging, { recursive: true, force: true });

  /**
   * @param {string} workerFile the bundled worker (render-workers.mjs)
   * @param {{ base: string; site: string; outDir: string; workers: number; holdBack?: number; heapMiB?: number; previewCache?: string | null }} options
   *   `base` as pages see it (ends in "/"); Astro's `site`; the build's output folder; how many worker threads,
   *   and how many of them only load the catalog and then wait for the template (Astro's thread has rendered
   *   its pages by then: until it has, it needs a core of its own, and a thread more than the machine has cores
   *   costs more than it brings); each one's heap limit; the folder where rendered notebook previews are kept
   *   between builds (render/preview-cache.ts), if any
   */
  constructor(workerFile, { base, site, outDir, workers, holdBack = 0, heapMiB = WORKER_HEAP_MIB, previewCache = null }) {
    this.base = base;
    this.#workerFile = workerFile;
    this.#outDir = outDir;
    this.#previewCache = previewCache;
    this.#staging = mkdtempSync(path.join(tmpdir(), 'ida-pages-'));
    // A build that fails before its end leaves nothing behind.
    process.once('exit', this.#removeStaging);
    this.#shared = { base, site, outDir, staging: this.#staging, previewCache, next: new SharedArrayBuffer(4) };
    this.#heapMiB = heapMiB;
    // At least one worker renders from the start (the first: it makes the search index's shard files).
    const held = Math.min(holdBack, workers - 1);
    for (let index = 0; index < workers; index += 1) this.#startWorker(index >= workers - held);
    if (workers === 0) this.#settleShards(null);
  }

  /** What every worker is given (the counter they claim workflows from included). @type {Omit<import('../render/page-worker.ts').PageWorkerData, 'shards' | 'port' | 'waitForTemplate'>} */
  #shared;
  #heapMiB;

  /** @param {boolean} waitForTemplate whether the worker renders only once the template has arrived */
  #startWorker(waitForTemplate) {
    const first = this.#workers.length === 0;
    const { port1, port2 } = new MessageChannel();
    /** @type {import('../render/page-worker.ts').PageWorkerData} */
    const workerData = { ...this.#shared, shards: first, port: port2, waitForTemplate };
    const worker = new Worker(this.#workerFile, { workerData, transferList: [port2], resourceLimits: { maxOldGenerationSizeMb: this.#heapMiB, maxYoungGenerationSizeMb: WORKER_YOUNG_MIB } });
    const entry = { worker, port: port1, done: false, stopped: false, exited: /** @type {Promise<void>} */ (new Promise((resolve) => worker.once('exit', () => resolve()))) };
    worker.on('message', (/** @type {PageWorkerMessage} */ message) => this.#receive(entry, message));
    // A worker that breaks leaves its pages to the build's thread, which reports any problem with a page.
    worker.on('error', (error) => console.warn(`ida-catalog: a page worker stopped (${error.message}); the build's thread writes its pages.`));
    worker.once('exit', () => {
      entry.stopped = true;
      if (first) this.#settleShards(null);
    });
    // Workers keep the process alive only while the build waits for them (finish): never after a build that failed.
    worker.unref();
    port1.unref();
    this.#workers.push(entry);
  }

  /**
   * Writers whose workers start once `workerFile` is ready (the build goes on meanwhile); if it never is,
   * Astro renders the workflow pages itself.
   * @param {Promise<string>} workerFile
   * @param {ConstructorParameters<typeof PageWriters>[1]} options
   */
  static starting(workerFile, options) {
    const writers = workerFile.then(
      (file) => new PageWriters(file, options),
      (error) => {
        console.warn(`ida-catalog: the page workers could not start (${error instanceof Error ? error.message : error}); Astro renders the workflow pages.`);
        return null;
      },
    );
    return {
      base: options.base,
      /** @param {InProcessPages} inProcess */
      writePages: async (inProcess) => (await writers)?.writePages(inProcess) ?? false,
      /** @param {string} key */
      shardFile: async (key) => (await writers)?.shardFile(key) ?? null,
      /** @param {string | null} template */
      useTemplate: async (template) => (await writers)?.useTemplate(template),
      finish: async () => (await writers)?.finish(),
      close: async () => (await writers)?.close(),
    };
  }

  /**
   * Called by the workflow route: the workers write the workflow pages, unless none is running. `inProcess`
   * writes whatever pages they leave.
   * @param {InProcessPages} inProcess
   * @returns {boolean} whether the route renders only the template
   */
  writePages(inProcess) {
    if (this.#workers.every((entry) => entry.stopped)) return false;
    this.#inProcess = inProcess;
    return true;
  }

  /**
   * The search index's shard file for `key` (JSON text), once the first worker has made them; null when it
   * has none (no such shard, or it could not make them): the page makes it in-process.
   * @param {string} key
   * @returns {Promise<string | null>}
   */
  async shardFile(key) {
    const files = await this.#shards;
    return files && Object.hasOwn(files, key) ? files[key] : null;
  }

  /**
   * The rendered template page (Astro has written it), or null when the workflow route rendered every page
   * itself: the workers stop.
   * @param {string | null} template
   */
  useTemplate(template) {
    this.#template = this.#inProcess ? template : null;
    /** @type {import('../render/page-worker.ts').TemplateMessage} */
    const message = { template: this.#template };
    for (const { port } of this.#workers) port.postMessage(message);
    // Loaded now, while the workers render (it brings the renderer's libraries along, ~0.3 s), not after them.
    if (this.#template !== null && this.#previewCache) this.#loadPruner();
  }

  #loadPruner() {
    this.#pruner ??= import(pathToFileURL(this.#workerFile).href);
    // Awaited only by a build that prunes; a failure is reported there.
    this.#pruner.catch(() => {});
    return this.#pruner;
  }

  /** The worker bundle as a module of this thread, for prunePreviewCache. @type {Promise<{ prunePreviewCache: (root: string, version: string, used: ReadonlySet<string>) => number }> | null} */
  #pruner = null;

  /**
   * Waits for the workers, writes in-process any page they left, prunes the preview cache. Throws, listing
   * them, when pages could not be rendered.
   * @returns {Promise<{ written: number; inProcess: number }>}
   */
  async finish() {
    if (!this.#inProcess) {
      await this.close();
      return { written: 0, inProcess: 0 };
    }
    for (const { worker } of this.#workers) worker.ref();
    await Promise.all(this.#workers.map((entry) => entry.exited));
    let inProcess = 0;
    try {
      if (this.#failed.length > 0) {
        const listed = this.#failed.slice(0, LISTED_FAILURES).map(({ message }) => `  ${message}`);
        const more = this.#failed.length > LISTED_FAILURES ? [`  … and ${this.#failed.length - LISTED_FAILURES} more`] : [];
        throw new Error(`ida-catalog: ${this.#failed.length} workflow page(s) could not be rendered:\n${[...listed, ...more].join('\n')}`);
      }
      if (this.#template === null) throw new Error('ida-catalog: the workflow page template was never rendered, so no workflow page was written');
      const complete = this.#workers.every((entry) => entry.done);
      if (!complete) inProcess = await this.#inProcess(this.#template, this.#written, this.#outDir);
      // Only a build that went through every workflow knows which previews are still in use.
      if (complete && this.#previewCache && this.#previews.length === this.#workers.length) await this.#prunePreviews(this.#previewCache);
    } finally {
      await this.close();
    }
    return { written: this.#written.size, inProcess };
  }

  /** @param {string} folder */
  async #prunePreviews(folder) {
    const version = this.#previews[0]?.version ?? '';
    const used = new Set(this.#previews.flatMap((previews) => previews.used));
    let removed = 0;
    try {
      const { prunePreviewCache } = await this.#loadPruner();
      removed = prunePreviewCache(folder, version, used);
    } catch (error) {
      // The cache is only ever an optimisation: the next build prunes it.
      console.warn(`ida-catalog: the preview cache was not pruned (${error instanceof Error ? error.message : error})`);
    }
    const hits = this.#previews.reduce((sum, previews) => sum + previews.hits, 0);
    const rendered = this.#previews.reduce((sum, previews) => sum + previews.rendered, 0);
    this.previews = { hits, rendered, removed, folder };
    console.info(`ida-catalog: notebook previews: ${hits} from the build cache, ${rendered} rendered (${folder})`);
  }

  /** How the preview cache served the build, once finished (null without a cache, or if a worker stopped). @type {{ hits: number; rendered: number; removed: number; folder: string } | null} */
  previews = null;

  /** Stops the workers and removes the staging folder. */
  async close() {
    await Promise.all(this.#workers.map(({ worker }) => worker.terminate()));
    for (const { port } of this.#workers) port.close();
    this.#settleShards(null);
    this.#removeStaging();
    process.off('exit', this.#removeStaging);
  }

  /**
   * @param {{ done: boolean }} entry
   * @param {PageWorkerMessage} message
   */
  #receive(entry, message) {
    if (message.kind === 'shards') this.#settleShards(message.files);
    else if (message.kind === 'written') for (const id of message.ids) this.#written.add(id);
    else if (message.kind === 'failed') this.#failed.push({ id: message.id, message: message.message });
    else if (message.kind === 'done') {
      entry.done = true;
      if (message.previews) this.#previews.push(message.previews);
    } else {
      // The content layer reads the same files and fails the build with its own message if they are bad;
      // anything else a worker stumbled on must not leave a build silently slower.
      console.warn(`ida-catalog: a page worker could not read the catalog (${message.message}); the build's thread writes the workflow pages.`);
    }
  }
}
