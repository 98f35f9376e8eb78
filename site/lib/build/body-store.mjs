// The build's workflow page bodies (and the search index's shard files), made ahead of the pages by one worker thread
// (site/lib/render/body-worker.ts). Astro renders pages on one thread and spends the first half of a build
// syncing content and bundling while the machine's other core idles: the worker starts with the build and
// renders the bodies in that time. They wait here as UTF-8 until a page takes its body
// (site/lib/render/workflow-bodies.ts); the worker stays at most HELD_BYTES ahead of the pages, so a build
// never holds all its bodies at once (10,000 real notebooks' bodies are ~550 MB), and nothing is spent
// compressing them (deflating took more time than any other single step of the worker).
import { Worker } from 'node:worker_threads';

/** Where the build's store is found by page code (a separate module instance inside Astro's bundle). */
export const BODY_STORE = Symbol.for('ida-catalog.body-store');

/** @typedef {import('../render/body-worker.ts').BodyMessage} BodyMessage */
/** @typedef {import('../render/body-worker.ts').StoreMessage} StoreMessage */
/** @typedef {{ utf8: Uint8Array } | { message: string } | { absent: true }} Entry */

/**
 * How many bytes of rendered bodies may wait for their pages (~1,200 bodies of real notebooks, ~3,000 of the
 * benchmark's small fixture ones). With the fixture previews, unbounded, the worker got 135 MB ahead of the
 * pages while Astro synced content and bundled; at 128 MB the build's peak RSS reached 931 MiB, too near the
 * 1 GB goal, at 64 MB 750–850 MiB, and build time did not tell them apart.
 */
export const HELD_BYTES = 64 * 1024 * 1024;
/**
 * The worker's heap limit. Its live heap is ~60 MB at 10,000 workflows (the catalog's records and the page in
 * hand), but under Node's default limit (~4 GB here) V8 let it grow past 250 MB, mostly garbage: a quarter of
 * the build's 1 GB memory goal. A catalog that needs more (roughly 40,000 workflows) stops the worker with an
 * out-of-memory error, and its remaining pages render in-process: slower, with a warning, still correct.
 */
export const WORKER_HEAP_MIB = 256;
/** How long closing the store waits for a worker still finishing its preview cache. */
const CLOSE_GRACE_MS = 10_000;
/** Room is handed back to the worker in steps this large, not one message per page. */
const ROOM_STEP = 1024 * 1024;

export class BodyStore {
  /** @type {Map<string, Entry>} */
  #entries = new Map();
  /** @type {Map<string, Array<() => void>>} */
  #waiting = new Map();
  /** Rendering until the worker says it is done, or stops. */
  #rendering = true;
  /** @type {(files: Record<string, string> | null) => void} */
  #settleShards = () => {};
  /** The shard files once the worker sends them; null if it never will. @type {Promise<Record<string, string> | null>} */
  #shards = new Promise((resolve) => (this.#settleShards = resolve));
  /** The worker has sent every body and is finishing its preview cache. */
  #allSent = false;
  /** @type {() => void} */
  #settleFinished = () => {};
  /** Settled when the worker is done (`previews` then tells how the cache served) or stops. @type {Promise<void>} */
  finished = new Promise((resolve) => (this.#settleFinished = resolve));
  /** Bytes taken by pages and not yet handed back to the worker as room. */
  #freed = 0;
  #roomStep;
  #worker;

  /**
   * @param {string} workerFile the bundled worker (render-workers.mjs)
   * @param {{ base: string; heldBytes?: number; heapMiB?: number; previewCache?: string | null }} options `base`
   *   as pages see it (ends in "/"); how many bytes of bodies may wait for their pages; the worker's heap limit;
   *   the folder where rendered notebook previews are kept between builds (render/preview-cache.ts), if any
   */
  constructor(workerFile, { base, heldBytes = HELD_BYTES, heapMiB = WORKER_HEAP_MIB, previewCache = null }) {
    this.base = base;
    this.#roomStep = Math.min(ROOM_STEP, heldBytes / 8);
    /** @type {import('../render/body-worker.ts').BodyWorkerData} */
    const workerData = { base, heldBytes, previewCache };
    this.#worker = new Worker(workerFile, { workerData, resourceLimits: { maxOldGenerationSizeMb: heapMiB } });
    this.#worker.on('message', (/** @type {BodyMessage} */ message) => this.#receive(message));
    // A worker that breaks leaves its remaining pages to in-process rendering, which reports any problem
    // with the page that has it; the build goes on, slower, and says why.
    this.#worker.on('error', (error) => {
      if (this.#rendering) console.warn(`ida-catalog: the page-body worker stopped (${error.message}); the remaining workflow pages render in-process.`);
      this.#stop();
    });
    this.#worker.on('exit', () => this.#stop());
    // The worker keeps the process alive only while a page waits for it: never after a build that failed.
    this.#worker.unref();
  }

  /**
   * A store whose worker starts once `workerFile` is ready (the build goes on meanwhile); if it never is,
   * the store answers null and pages render in-process.
   * @param {Promise<string>} workerFile
   * @param {{ base: string }} options
   * @returns {import('../render/build-store.ts').BuildStore & { close: () => Promise<void> }}
   */
  static starting(workerFile, options) {
    const store = workerFile.then(
      (file) => new BodyStore(file, options),
      (error) => {
        console.warn(`ida-catalog: the page-body worker could not start (${error instanceof Error ? error.message : error}); workflow pages render in-process.`);
        return null;
      },
    );
    return {
      base: options.base,
      get: async (id) => (await store)?.get(id) ?? null,
      shardFile: async (key) => (await store)?.shardFile(key) ?? null,
      close: async () => (await store)?.close(),
    };
  }

  /**
   * The body of workflow `id`, once the worker has rendered it; null when the worker has no body for it
   * (it stopped, never saw that workflow, or the body was taken already): the caller renders it in-process.
   * A body the worker could not render rejects with the worker's message (the file and what is wrong with it).
   * @param {string} id
   * @returns {Promise<string | null>}
   */
  async get(id) {
    while (!this.#entries.has(id) && this.#rendering) await this.#arrival(id);
    const entry = this.#entries.get(id);
    if (!entry) return null;
    if ('message' in entry) throw new Error(entry.message);
    this.#entries.delete(id);
    if ('absent' in entry) return null;
    this.#release(entry.utf8.length);
    return Buffer.from(entry.utf8.buffer, entry.utf8.byteOffset, entry.utf8.length).toString('utf8');
  }

  /**
   * The search index's shard file for `key` (JSON text), once the worker has made them; null when it has
   * none (no such shard, or the worker could not make them): the page makes it in-process.
   * @param {string} key
   * @returns {Promise<string | null>}
   */
  async shardFile(key) {
    const files = await this.#shards;
    return files && Object.hasOwn(files, key) ? files[key] : null;
  }

  /** @param {number} bytes */
  #release(bytes) {
    this.#freed += bytes;
    if (this.#freed < this.#roomStep) return;
    this.#tell({ kind: 'room', bytes: this.#freed });
    this.#freed = 0;
  }

  /** @param {StoreMessage} message */
  #tell(message) {
    if (this.#rendering) this.#worker.postMessage(message);
  }

  /** Rendered bodies waiting for their pages, and their size. */
  get held() {
    let bodies = 0;
    let bytes = 0;
    for (const entry of this.#entries.values()) {
      if (!('utf8' in entry)) continue;
      bodies += 1;
      bytes += entry.utf8.length;
    }
    return { bodies, bytes };
  }

  /**
   * How the preview cache served the build (once the worker is done; null without a cache, or if the worker
   * stopped early). @type {(import('../render/preview-cache.ts').PreviewCacheStats & { folder: string }) | null}
   */
  previews = null;

  /**
   * Stops the worker and lets go of the bodies. A worker still finishing its preview cache's writes gets a
   * few seconds: cut short, the next build merely renders those previews again.
   */
  async close() {
    if (this.#rendering && this.#allSent) {
      // Held open meanwhile: at the end of a build nothing else keeps the process alive.
      this.#worker.ref();
      await Promise.race([this.finished, new Promise((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref())]);
    }
    await this.#worker.terminate();
    this.#stop();
    this.#entries.clear();
  }

  /** @param {string} id @returns {Promise<void>} */
  #arrival(id) {
    return new Promise((resolve) => {
      const list = this.#waiting.get(id) ?? [];
      list.push(resolve);
      this.#waiting.set(id, list);
      this.#worker.ref();
      // Pages normally ask in the order the worker renders; one that asks out of order (or a store full of
      // bodies nobody takes) must not wait for room that never comes.
      this.#tell({ kind: 'want', id });
    });
  }

  /** @param {BodyMessage} message */
  #receive(message) {
    if (message.kind === 'shards') {
      this.#settleShards(message.files);
    } else if (message.kind === 'bodies') {
      for (const [id, offset, length] of message.entries) this.#settle(id, { utf8: new Uint8Array(message.bytes, offset, length) });
    } else if (message.kind === 'failed') {
      this.#settle(message.id, { message: message.message });
    } else if (message.kind === 'absent') {
      this.#settle(message.id, { absent: true });
    } else if (message.kind === 'sent') {
      this.#allSent = true;
    } else {
      // The content layer reads the same files and fails the build with its own message if they are bad;
      // anything else the worker stumbled on must not leave a build silently slower.
      if (message.kind === 'unavailable') console.warn(`ida-catalog: the page-body worker could not read the catalog (${message.message}); workflow pages render in-process.`);
      else if (message.previews) {
        this.previews = message.previews;
        const { hits, rendered, folder } = message.previews;
        console.info(`ida-catalog: notebook previews: ${hits} from the build cache, ${rendered} rendered (${folder})`);
      }
      this.#stop();
    }
  }

  /** @param {string} id @param {Entry} entry */
  #settle(id, entry) {
    this.#entries.set(id, entry);
    const waiting = this.#waiting.get(id);
    if (!waiting) return;
    this.#waiting.delete(id);
    if (this.#waiting.size === 0) this.#worker.unref();
    for (const resolve of waiting) resolve();
  }

  #stop() {
    this.#rendering = false;
    this.#settleFinished();
    this.#settleShards(null);
    const waiting = [...this.#waiting.values()].flat();
    this.#waiting.clear();
    this.#worker.unref();
    for (const resolve of waiting) resolve();
  }
}
