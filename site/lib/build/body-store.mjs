// The build's workflow page bodies, rendered ahead of the pages by one worker thread
// (site/lib/render/body-worker.ts). Astro renders pages on one thread and spends the first half of a build
// syncing content and bundling while the machine's other core idles: the worker starts with the build and
// renders the bodies in that time. They wait here deflated (a tenth of their size) until a page asks for
// its body (site/lib/render/workflow-bodies.ts).
import { inflateRawSync } from 'node:zlib';
import { Worker } from 'node:worker_threads';

/** Where the build's store is found by page code (a separate module instance inside Astro's bundle). */
export const BODY_STORE = Symbol.for('ida-catalog.body-store');

/** @typedef {import('../render/body-worker.ts').BodyMessage} BodyMessage */
/** @typedef {{ deflated: Uint8Array } | { message: string }} Entry */

export class BodyStore {
  /** @type {Map<string, Entry>} */
  #entries = new Map();
  /** @type {Map<string, Array<() => void>>} */
  #waiting = new Map();
  /** Rendering until the worker says it is done, or stops. */
  #rendering = true;
  #worker;

  /**
   * @param {string} workerFile the bundled worker (render-workers.mjs)
   * @param {{ base: string }} options `base` as pages see it (ends in "/")
   */
  constructor(workerFile, { base }) {
    this.base = base;
    this.#worker = new Worker(workerFile, { workerData: { base } });
    this.#worker.on('message', (/** @type {BodyMessage} */ message) => this.#receive(message));
    // A worker that breaks leaves its remaining pages to in-process rendering, which reports any problem
    // with the page that has it.
    this.#worker.on('error', () => this.#stop());
    this.#worker.on('exit', () => this.#stop());
    // The worker keeps the process alive only while a page waits for it: never after a build that failed.
    this.#worker.unref();
  }

  /**
   * A store whose worker starts once `workerFile` is ready (the build goes on meanwhile); if it never is,
   * the store answers null and pages render in-process.
   * @param {Promise<string>} workerFile
   * @param {{ base: string }} options
   * @returns {{ base: string; get: (id: string) => Promise<string | null>; close: () => Promise<void> }}
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
      close: async () => (await store)?.close(),
    };
  }

  /**
   * The body of workflow `id`, once the worker has rendered it; null when the worker has no body for it
   * (it stopped, or never saw that workflow): the caller renders it in-process. A body the worker could not
   * render rejects with the worker's message (the file and what is wrong with it).
   * @param {string} id
   * @returns {Promise<string | null>}
   */
  async get(id) {
    while (!this.#entries.has(id) && this.#rendering) await this.#arrival(id);
    const entry = this.#entries.get(id);
    if (!entry) return null;
    if ('message' in entry) throw new Error(entry.message);
    return inflateRawSync(entry.deflated).toString('utf8');
  }

  /** Stops the worker and lets go of the bodies. */
  async close() {
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
    });
  }

  /** @param {BodyMessage} message */
  #receive(message) {
    if (message.kind === 'bodies') {
      for (const [id, offset, length] of message.entries) this.#settle(id, { deflated: new Uint8Array(message.bytes, offset, length) });
    } else if (message.kind === 'failed') {
      this.#settle(message.id, { message: message.message });
    } else {
      // The content layer reads the same files and fails the build with its own message if they are bad;
      // anything else the worker stumbled on must not leave a build silently slower.
      if (message.kind === 'unavailable') console.warn(`ida-catalog: the page-body worker could not read the catalog (${message.message}); workflow pages render in-process.`);
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
    const waiting = [...this.#waiting.values()].flat();
    this.#waiting.clear();
    this.#worker.unref();
    for (const resolve of waiting) resolve();
  }
}
