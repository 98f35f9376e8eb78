/**
 * Worker-thread entry (bundled by site/lib/build/render-workers.mjs). A build starts one per core with the build
 * itself, the last of them rendering only once Astro's thread has rendered its pages; together they write every
 * workflow page (site/lib/build/page-writers.mjs), while Astro's thread syncs content, bundles and renders the
 * other pages. Each worker claims the next workflow from a counter they share, renders its page's parts
 * (workflow-page.ts) and, once Astro has rendered the page template (page-template.ts), writes the page.
 * Pages rendered before the template arrives wait in a staging file of the worker's own. The first worker
 * also exports the search index's shard files, before any page.
 *
 * Notebook previews rendered by an earlier build from the very same file come from the build's preview cache
 * (preview-cache.ts). Imported on the build's thread (not as a worker), this module only offers
 * `prunePreviewCache`, for the end of the build.
 *
 * It reads the same files the content layer reads, so a page here is the page Astro would render. It does not
 * validate the records again: the content layer checks these very files against the contract before any
 * page is rendered (the template, and so any page written, comes later), and a build with an invalid record
 * fails there (test/site/build-errors). When the inputs cannot be read it says so and stops: the content layer
 * then fails the build with its own (better placed) message.
 */
import { once } from 'node:events';
import { closeSync, openSync, readSync, rmSync } from 'node:fs';
import path from 'node:path';
import { isMainThread, parentPort, receiveMessageOnPort, threadId, workerData, type MessagePort } from 'node:worker_threads';
import type { Repository, Workflow } from '../../../catalog/contract/index.js';
import { catalogView, type CatalogView } from '../catalog-view.js';
import { readCatalogRecords, readFacilities } from '../load.js';
import { buildSearchData } from '../search/build.js';
import { exportShard } from '../search/shards.js';
import { filledPage, pageTemplate, TEMPLATE_ID, writeWorkflowPage, type PageTemplate } from './page-template.js';
import { openPreviewCache } from './preview-cache.js';
import { workflowPageParts } from './workflow-page.js';
import { workflowPreviewHtml } from './workflow-preview.js';
import { writeAll } from './write-all.js';

export { prunePreviewCache } from './preview-cache.js';

/** How this worker's previews went: the cache entries it used (for pruning), served from the cache, rendered. */
export type WorkerPreviews = { version: string; used: string[]; hits: number; rendered: number };

/**
 * What the build's thread hears: the search index's shard files (JSON text by shard key; null if they could
 * not be made), pages written, a page that could not be rendered, the end (with how the preview cache served),
 * inputs it could not read.
 */
export type PageWorkerMessage =
  | { kind: 'shards'; files: Record<string, string> | null }
  | { kind: 'written'; ids: string[] }
  | { kind: 'failed'; id: string; message: string }
  | { kind: 'done'; previews: WorkerPreviews | null }
  | { kind: 'unavailable'; message: string };

/** What arrives on `port`: the rendered template page, or null when Astro renders the workflow pages itself. */
export type TemplateMessage = { template: string | null };

export type PageWorkerData = {
  base: string;
  /** Astro's `site`: the public origin. */
  site: string;
  /** The build's output folder, where pages are written. */
  outDir: string;
  /** The folder where pages rendered before the template arrives wait (a file per worker). */
  staging: string;
  /** The folder of rendered previews kept between builds (preview-cache.ts), if any. */
  previewCache: string | null;
  /** One Int32 shared by the build's workers: the index of the next workflow to claim. */
  next: SharedArrayBuffer;
  /** Whether this worker exports the search index's shard files (one worker does). */
  shards: boolean;
  port: MessagePort;
  /** Whether to wait for the template before rendering (the build holds a worker back while Astro's thread is busy). */
  waitForTemplate: boolean;
};

/** Written pages are reported in batches: how many pages the build's thread would render again if this worker stopped. */
const REPORT_EVERY = 256;

/** The preview renderer's version, for the preview cache: built in by render-workers.mjs (previewRendererVersion). */
declare const PREVIEW_RENDERER_VERSION: string;

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function inputs(): Promise<CatalogView> {
  const [workflows, repositories, facilities] = await Promise.all([readCatalogRecords('workflows'), readCatalogRecords('repositories'), readFacilities()]);
  // Unvalidated here on purpose (see above): the content layer validates the same records.
  return catalogView(workflows as unknown as Workflow[], repositories as unknown as Repository[], facilities);
}

/**
 * The search index's shard files, made from the same records by the same functions as in-process
 * (pages/search/index/[shard].json.ts).
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

async function run(port: MessagePort, parent: NonNullable<typeof parentPort>, data: PageWorkerData): Promise<void> {
  const say = (message: PageWorkerMessage) => parent.postMessage(message);
  let loaded: CatalogView;
  try {
    loaded = await inputs();
  } catch (error) {
    say({ kind: 'unavailable', message: errorMessage(error) });
    return;
  }
  const { workflows, repositoryOf, facilities } = loaded;
  const { base, site, outDir } = data;
  const cache = data.previewCache ? openPreviewCache(data.previewCache, PREVIEW_RENDERER_VERSION) : undefined;
  if (data.shards) say({ kind: 'shards', files: await shardFiles(loaded) });

  /** Undefined until it arrives; null: there will be none (Astro renders the pages), or it is unusable. */
  let template: PageTemplate | null | undefined;
  const accept = ({ template: rendered }: TemplateMessage) => {
    try {
      template = rendered === null ? null : pageTemplate(rendered);
    } catch (error) {
      template = null;
      say({ kind: 'failed', id: TEMPLATE_ID, message: errorMessage(error) });
    }
  };
  if (data.waitForTemplate) accept(((await once(port, 'message')) as [TemplateMessage])[0]);
  // Between pages, without yielding: a worker busy rendering hears nothing otherwise.
  const poll = () => {
    const received = template === undefined ? receiveMessageOnPort(port) : undefined;
    if (received) accept(received.message as TemplateMessage);
  };

  let written: string[] = [];
  const wrote = (id: string) => {
    written.push(id);
    if (written.length < REPORT_EVERY) return;
    say({ kind: 'written', ids: written });
    written = [];
  };
  // Pages rendered before the template, one after another in a file of this worker's own (one file, not one
  // per page: creating and deleting thousands of files is slow on some file systems, ext4 among them).
  const staging = path.join(data.staging, `worker-${threadId}.parts`);
  let stagingFd: number | null = null;
  let stagedBytes = 0;
  const staged: Array<{ id: string; offset: number; headBytes: number; bytes: number }> = [];
  const claims = new Int32Array(data.next);

  for (let index = Atomics.add(claims, 0, 1); index < workflows.length; index = Atomics.add(claims, 0, 1)) {
    poll();
    if (template === null) break;
    const workflow = workflows[index]!;
    try {
      const previewHtml = await workflowPreviewHtml(workflow.id, base, cache);
      const parts = workflowPageParts({ workflow, repository: repositoryOf(workflow), facilities, previewHtml, base, site });
      if (template) {
        writeWorkflowPage(outDir, workflow.id, filledPage(template, parts));
        wrote(workflow.id);
      } else {
        stagingFd ??= openSync(staging, 'w+');
        const bytes = Buffer.from(parts.head + parts.body);
        writeAll(stagingFd, bytes, stagedBytes);
        staged.push({ id: workflow.id, offset: stagedBytes, headBytes: Buffer.byteLength(parts.head), bytes: bytes.length });
        stagedBytes += bytes.length;
      }
    } catch (error) {
      say({ kind: 'failed', id: workflow.id, message: errorMessage(error) });
    }
  }

  if (staged.length > 0 && template === undefined) accept(((await once(port, 'message')) as [TemplateMessage])[0]);
  if (template && stagingFd !== null) {
    for (const { id, offset, headBytes, bytes } of staged) {
      const buffer = Buffer.allocUnsafe(bytes);
      if (readSync(stagingFd, buffer, 0, bytes, offset) !== bytes) throw new Error(`${staging}: page ${id} was cut short`);
      writeWorkflowPage(outDir, id, filledPage(template, { head: buffer.toString('utf8', 0, headBytes), body: buffer.toString('utf8', headBytes) }));
      wrote(id);
    }
  }
  if (stagingFd !== null) {
    closeSync(stagingFd);
    rmSync(staging, { force: true });
  }
  if (written.length > 0) say({ kind: 'written', ids: written });
  cache?.close();
  say({ kind: 'done', previews: cache ? { version: PREVIEW_RENDERER_VERSION, ...cache.usage() } : null });
}

if (!isMainThread) {
  const data = workerData as PageWorkerData;
  if (!parentPort) throw new Error('page-worker runs only as a worker thread');
  await run(data.port, parentPort, data);
  // Nothing more to say: the worker may end.
  data.port.close();
}
