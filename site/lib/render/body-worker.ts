/**
 * Worker-thread entry (bundled by site/lib/build/render-workers.mjs): exports the search index's shard files,
 * then renders every workflow page body of a build, starting while Astro's thread still syncs content and
 * bundles, in the order the pages will be built, and hands them to the build's thread
 * (site/lib/build/body-store.mjs) as UTF-8. 10,000 real notebooks' bodies are ~550 MB, so it stays at most
 * `heldBytes` ahead of the pages: the store hands back room as pages take their bodies. Messages from the
 * store are heard whenever the worker waits for room, which is when they matter.
 *
 * Notebook previews rendered by an earlier build from the very same file come from the build's preview cache
 * (preview-cache.ts); when every body is sent it removes the entries this build did not use.
 *
 * It reads the same files the content layer reads, so a body here is the body the page would render
 * in-process. It does not validate the records again: the content layer checks these very files against the
 * contract before any page is built, and a build with an invalid record fails there (test/site/build-errors),
 * so no body rendered from one is ever used. When the inputs cannot be read it says so and stops: the content
 * layer then fails the build with its own (better placed) message.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Repository, Workflow } from '../../../catalog/contract/index.js';
import { readCatalogItems, readFacilities } from '../load.js';
import { catalogView, type CatalogView } from '../catalog-view.js';
import { buildSearchData } from '../search/build.js';
import { exportShard } from '../search/shards.js';
import { openPreviewCache, type PreviewCacheStats } from './preview-cache.js';
import { workflowBodyHtml } from './workflow-body.js';
import { workflowPreviewHtml } from './workflow-preview.js';

/**
 * What the build's thread hears: the search index's shard files (JSON text by shard key; null if they could
 * not be made), a batch of bodies (UTF-8, one after another in `bytes`), a body that could not be rendered,
 * an asked-for workflow it will not send (unknown, or sent already), every body sent, the end (with how the
 * preview cache served the build).
 */
export type BodyMessage =
  | { kind: 'shards'; files: Record<string, string> | null }
  | { kind: 'bodies'; entries: Array<[id: string, offset: number, length: number]>; bytes: ArrayBuffer }
  | { kind: 'failed'; id: string; message: string }
  | { kind: 'absent'; id: string }
  | { kind: 'sent' }
  | { kind: 'done'; previews: (PreviewCacheStats & { folder: string }) | null }
  | { kind: 'unavailable'; message: string };
/** What the worker hears: pages took bodies of this many bytes; a page waits for this workflow's body. */
export type StoreMessage = { kind: 'room'; bytes: number } | { kind: 'want'; id: string };
/** `previewCache`: the folder of rendered previews kept between builds (preview-cache.ts), if any. */
export type BodyWorkerData = { base: string; heldBytes: number; previewCache: string | null };

/** Bodies are handed over in small batches: often enough that a waiting page is not held up, rarely enough to stay cheap. */
const BATCH = 16;

const port = parentPort;
if (!port) throw new Error('body-worker runs only as a worker thread');
const { base, heldBytes, previewCache } = workerData as BodyWorkerData;
/** The preview renderer's version, for the preview cache: built in by render-workers.mjs (previewRendererVersion). */
declare const PREVIEW_RENDERER_VERSION: string;

/**
 * How far ahead of the pages the worker may be: bytes of room left, and the workflows pages are waiting for,
 * which are rendered and sent whatever the room (pages asking out of order must not wait for room that a
 * full store never frees).
 */
const flow = {
  room: heldBytes,
  /** Null until the catalog is read: what pages want before then is answered once it is. */
  unsent: null as Set<string> | null,
  early: [] as string[],
  wanted: new Set<string>(),
  wake: null as (() => void) | null,
};

function want(id: string): void {
  if (!flow.unsent) flow.early.push(id);
  else if (flow.unsent.has(id)) flow.wanted.add(id);
  else port!.postMessage({ kind: 'absent', id } satisfies BodyMessage);
}

/** `id` will not be sent again (sent, or failed): nothing to wait for. */
function settled(id: string): void {
  flow.unsent!.delete(id);
  flow.wanted.delete(id);
}

function hear(message: StoreMessage): void {
  if (message.kind === 'room') flow.room += message.bytes;
  else want(message.id);
  flow.wake?.();
}

async function roomToRender(): Promise<void> {
  while (flow.room <= 0 && flow.wanted.size === 0) await new Promise<void>((resolve) => (flow.wake = resolve));
  flow.wake = null;
}

async function inputs(): Promise<CatalogView> {
  const [workflows, repositories, facilities] = await Promise.all([readCatalogItems('workflows'), readCatalogItems('repositories'), readFacilities()]);
  // Unvalidated here on purpose (see above): the content layer validates the same records.
  return catalogView(workflows as unknown as Workflow[], repositories as unknown as Repository[], facilities);
}

/**
 * The search index's shard files, made from the same records by the same functions as in-process
 * (pages/search/index/[shard].json.ts), before any body: the build asks for them first.
 */
async function shardFiles({ workflows, repositories, facilities }: CatalogView): Promise<Record<string, string> | null> {
  try {
    const files: Record<string, string> = {};
    for (const [key, docs] of buildSearchData(workflows, repositories, facilities).shards) files[key] = JSON.stringify(await exportShard(docs));
    return files;
  } catch {
    // The page renders its shard in-process and reports any problem there.
    return null;
  }
}

/** One message for a batch: its bodies encoded into a buffer of their own, moved (not copied) to the build's thread. */
function send(batch: Array<[string, string]>): void {
  const bytes = Buffer.allocUnsafeSlow(batch.reduce((sum, [, body]) => sum + Buffer.byteLength(body), 0));
  const entries: Array<[string, number, number]> = [];
  let offset = 0;
  for (const [id, body] of batch) {
    const length = bytes.write(body, offset);
    entries.push([id, offset, length]);
    offset += length;
    settled(id);
  }
  flow.room -= offset;
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
  const cache = previewCache ? openPreviewCache(previewCache, PREVIEW_RENDERER_VERSION) : undefined;
  port!.postMessage({ kind: 'shards', files: await shardFiles(loaded) } satisfies BodyMessage);
  flow.unsent = new Set(workflows.map((workflow) => workflow.id));
  for (const id of flow.early.splice(0)) want(id);
  let batch: Array<[string, string]> = [];
  for (const workflow of workflows) {
    if (flow.room <= 0 && batch.length > 0) {
      send(batch);
      batch = [];
    }
    await roomToRender();
    try {
      const previewHtml = await workflowPreviewHtml(workflow.id, base, cache);
      batch.push([workflow.id, workflowBodyHtml({ workflow, repository: repositoryOf(workflow), facilities, previewHtml, base })]);
    } catch (error) {
      settled(workflow.id);
      port!.postMessage({ kind: 'failed', id: workflow.id, message: error instanceof Error ? error.message : String(error) } satisfies BodyMessage);
    }
    if (batch.length >= BATCH || flow.wanted.size > 0) {
      send(batch);
      batch = [];
    }
  }
  if (batch.length > 0) send(batch);
  port!.postMessage({ kind: 'sent' } satisfies BodyMessage);
  const previews = cache ? { ...cache.finish(), folder: previewCache! } : null;
  port!.postMessage({ kind: 'done', previews } satisfies BodyMessage);
}

port.on('message', hear);
await renderAll();
// Nothing more to say: the worker may end.
port.off('message', hear);
