/**
 * Workflow page bodies rendered ahead of Astro in worker threads. A body (facts, Launch panel, and above
 * all the notebook preview: read, validate, markdown, sanitiser, highlighter) costs more than the rest of
 * a page, and Astro renders pages on one thread; with the bodies in workers a build uses the machine's
 * other cores. The pool follows the order Astro renders pages in (getStaticPaths order) and keeps a
 * bounded window of bodies ready.
 */
import { Worker } from 'node:worker_threads';
import type { Facility, Repository, Workflow } from '../../../catalog/contract/index.js';

export type BodyJob = { workflow: Workflow; repository: Repository | undefined };
export type BodyRequest = { jobs: BodyJob[]; base: string };
export type BodyReply = { id: string; html: string } | { id: string; error: string };
export type BodyWorkerData = { facilities: readonly Facility[] };

type Pending = { promise: Promise<string>; resolve: (html: string) => void; reject: (error: Error) => void };

/** How many bodies may be rendered ahead of the page being built (bounds the memory they hold). */
const AHEAD = 64;
const BATCH = 8;

export class BodyPool {
  private readonly workers: Array<{ worker: Worker; inFlight: Set<string> }> = [];
  private readonly pending = new Map<string, Pending>();
  private readonly position: Map<string, number>;
  /** Every id ever sent: the read-ahead never renders a body twice. */
  private readonly sent = new Set<string>();
  private dispatched = 0;
  private failure: Error | null = null;

  constructor(
    file: string,
    private readonly order: readonly BodyJob[],
    facilities: readonly Facility[],
    private readonly base: string,
    threads: number,
  ) {
    this.position = new Map(order.map((job, index) => [job.workflow.id, index]));
    for (let index = 0; index < threads; index += 1) {
      const worker = new Worker(file, { workerData: { facilities } satisfies BodyWorkerData });
      const slot = { worker, inFlight: new Set<string>() };
      worker.on('message', (reply: BodyReply) => {
        slot.inFlight.delete(reply.id);
        if (slot.inFlight.size === 0) worker.unref();
        const entry = this.pending.get(reply.id);
        if (!entry) return;
        if ('error' in reply) entry.reject(new Error(reply.error));
        else entry.resolve(reply.html);
      });
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => {
        if (code !== 0 && !this.failure) this.fail(new Error(`a page-rendering worker exited with code ${code}`));
      });
      // A worker keeps the process alive only while it owes replies: never after the build is done.
      worker.unref();
      this.workers.push(slot);
    }
  }

  /** The body HTML of a workflow page; rejects with the reader's message when its preview is bad. */
  async get(job: BodyJob): Promise<string> {
    if (this.failure) throw this.failure;
    const { id } = job.workflow;
    if (!this.sent.has(id)) this.send([job]);
    const index = this.position.get(id);
    if (index !== undefined) this.fill(index + AHEAD);
    const entry = this.pending.get(id);
    if (!entry) throw new Error(`the page body of ${id} was asked for twice`);
    try {
      return await entry.promise;
    } finally {
      this.pending.delete(id);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map(({ worker }) => worker.terminate()));
  }

  private fill(until: number): void {
    const end = Math.min(until, this.order.length);
    while (this.dispatched < end) {
      const batch: BodyJob[] = [];
      while (batch.length < BATCH && this.dispatched < end) {
        const job = this.order[this.dispatched++]!;
        if (!this.sent.has(job.workflow.id)) batch.push(job);
      }
      if (batch.length > 0) this.send(batch);
    }
  }

  private send(jobs: BodyJob[]): void {
    const slot = this.workers.reduce((least, candidate) => (candidate.inFlight.size < least.inFlight.size ? candidate : least));
    for (const { workflow } of jobs) {
      this.sent.add(workflow.id);
      slot.inFlight.add(workflow.id);
      let resolve!: Pending['resolve'];
      let reject!: Pending['reject'];
      const promise = new Promise<string>((yes, no) => {
        resolve = yes;
        reject = no;
      });
      // A page that is never built must not leave an unhandled rejection behind.
      promise.catch(() => undefined);
      this.pending.set(workflow.id, { promise, resolve, reject });
    }
    slot.worker.ref();
    slot.worker.postMessage({ jobs, base: this.base } satisfies BodyRequest);
  }

  private fail(error: Error): void {
    this.failure = error;
    for (const entry of this.pending.values()) entry.reject(error);
  }
}
