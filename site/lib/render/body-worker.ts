/**
 * Worker-thread entry (bundled by site/lib/build/render-workers.mjs): renders every workflow page body of
 * a build while Astro's thread is still syncing content and bundling, in the order the pages will be built,
 * and hands them to the build's thread (site/lib/build/body-store.mjs) deflated: 10,000 bodies are ~250 MB
 * of HTML but ~10 % of that compressed, so they can wait in memory for their pages.
 *
 * It reads the same files the content layer reads and validates them with the same contract schemas, so a
 * body here is the body the page would render in-process. When the inputs cannot be read it says so and
 * stops: the content layer then fails the build with its own (better placed) message.
 */
import { deflateRawSync } from 'node:zlib';
import { parentPort, workerData } from 'node:worker_threads';
import { Repository, Workflow } from '../../../catalog/contract/index.js';
import { readCatalogItems, readFacilities, readPreview } from '../load.js';
import { catalogView, type CatalogView } from '../catalog-view.js';
import { workflowBodyHtml } from './workflow-body.js';

/**
 * What the build's thread hears: a batch of bodies (deflated, one after another in `bytes`), a body that
 * could not be rendered, the end.
 */
export type BodyMessage =
  | { kind: 'bodies'; entries: Array<[id: string, offset: number, length: number]>; bytes: ArrayBuffer }
  | { kind: 'failed'; id: string; message: string }
  | { kind: 'done' }
  | { kind: 'unavailable'; message: string };
export type BodyWorkerData = { base: string };

/** Bodies are handed over in small batches: often enough that a waiting page is not held up, rarely enough to stay cheap. */
const BATCH = 16;

const port = parentPort;
if (!port) throw new Error('body-worker runs only as a worker thread');
const { base } = workerData as BodyWorkerData;

async function inputs(): Promise<CatalogView> {
  const [workflows, repositories, facilities] = await Promise.all([readCatalogItems('workflows'), readCatalogItems('repositories'), readFacilities()]);
  return catalogView(
    workflows.map((raw) => Workflow.parse(raw)),
    repositories.map((raw) => Repository.parse(raw)),
    facilities,
  );
}

/** One message for a batch: its bodies copied into a buffer of their own, moved (not copied) to the build's thread. */
function send(batch: Array<[string, Buffer]>): void {
  const bytes = new Uint8Array(batch.reduce((sum, [, body]) => sum + body.length, 0));
  const entries: Array<[string, number, number]> = [];
  let offset = 0;
  for (const [id, body] of batch) {
    bytes.set(body, offset);
    entries.push([id, offset, body.length]);
    offset += body.length;
  }
  const message: BodyMessage = { kind: 'bodies', entries, bytes: bytes.buffer };
  port!.postMessage(message, [bytes.buffer]);
}

async function renderAll(): Promise<void> {
  let loaded: CatalogView;
  try {
    loaded = await inputs();
  } catch (error) {
    port!.postMessage({ kind: 'unavailable', message: error instanceof Error ? error.message : String(error) } satisfies BodyMessage);
    return;
  }
  const { workflows, repositoryOf, facilities } = loaded;
  let batch: Array<[string, Buffer]> = [];
  for (const workflow of workflows) {
    try {
      const preview = readPreview(workflow.id);
      const body = await workflowBodyHtml({ workflow, repository: repositoryOf(workflow), facilities, preview, base });
      // Level 1: the fastest deflate still shrinks this repetitive markup about tenfold.
      batch.push([workflow.id, deflateRawSync(body, { level: 1 })]);
    } catch (error) {
      port!.postMessage({ kind: 'failed', id: workflow.id, message: error instanceof Error ? error.message : String(error) } satisfies BodyMessage);
    }
    if (batch.length >= BATCH) {
      send(batch);
      batch = [];
    }
  }
  if (batch.length > 0) send(batch);
  port!.postMessage({ kind: 'done' } satisfies BodyMessage);
}

await renderAll();
