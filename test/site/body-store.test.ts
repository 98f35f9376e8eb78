/**
 * The build's body store (site/lib/build/body-store.mjs) with the real bundled worker: it reads the catalog
 * the content layer reads, and every body (and search shard file) it hands back is the one the in-process
 * renderer makes; a broken
 * preview fails with its file named, and a catalog the worker cannot read leaves every page to in-process
 * rendering instead of hanging the build.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CATALOG_DIRS, CATALOG_FILES, RepositoriesFile } from '../../catalog/contract/index.js';
import { BodyStore } from '../../site/lib/build/body-store.mjs';
import { bundleBodyWorker, previewRendererVersion } from '../../site/lib/build/render-workers.mjs';
import { readFacilities } from '../../site/lib/load.js';
import { catalogView } from '../../site/lib/catalog-view.js';
import { notebookPreviewHtml } from '../../site/lib/render/notebook-preview.js';
import { workflowBodyHtml } from '../../site/lib/render/workflow-body.js';
import { buildSearchData } from '../../site/lib/search/build.js';
import { exportShard } from '../../site/lib/search/shards.js';
import { basicPreviews, basicWorkflows, writeCatalog } from '../fixtures/site/catalogs.js';
import { makeWorkflow } from '../support/records.js';

const broken = makeWorkflow({ id: 'broken-preview' });
let work: string;
let workerFile: string;
const stores: BodyStore[] = [];
const savedCatalogDir = process.env.IDA_CATALOG_DIR;

/** A store over `catalogDir`: a worker reads its inputs' location from the environment it starts with. */
function storeFor(catalogDir: string, limits: { heldBytes?: number; heapMiB?: number; previewCache?: string } = {}): BodyStore {
  process.env.IDA_CATALOG_DIR = catalogDir;
  const store = new BodyStore(workerFile, { base: '/base/', ...limits });
  stores.push(store);
  return store;
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'ida-body-store-'));
  workerFile = await bundleBodyWorker();
}, 60_000);

afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  if (savedCatalogDir === undefined) delete process.env.IDA_CATALOG_DIR;
  else process.env.IDA_CATALOG_DIR = savedCatalogDir;
  await rm(work, { recursive: true, force: true });
});

describe('page-body store', () => {
  it('hands back, in any order asked, exactly the bodies the in-process renderer makes; a broken preview names its file', async () => {
    const catalogDir = await writeCatalog(path.join(work, 'catalog'), [...basicWorkflows, broken], basicPreviews);
    await writeFile(path.join(catalogDir, CATALOG_DIRS.previews, `${broken.id}.json`), '{"schemaVersion": 1, "id": ');
    const store = storeFor(catalogDir);
    const repositories = RepositoriesFile.parse(JSON.parse(await readFile(path.join(catalogDir, CATALOG_FILES.repositories), 'utf8'))).items;
    expect(repositories.length).toBeGreaterThan(0);
    const { facilities, repositoryOf } = catalogView(basicWorkflows, repositories, await readFacilities());
    const wanted = [...basicWorkflows].reverse();
    const bodies = await Promise.all(wanted.map((workflow) => store.get(workflow.id)));
    for (const [index, workflow] of wanted.entries()) {
      const preview = basicPreviews.find((candidate) => candidate.id === workflow.id) ?? null;
      const repository = repositoryOf(workflow);
      expect(repository).toBeDefined();
      expect(bodies[index]).toBe(workflowBodyHtml({ workflow, repository, facilities, previewHtml: preview && (await notebookPreviewHtml(preview, '/base/')), base: '/base/' }));
    }
    expect(bodies.filter((body) => body?.includes('notebook notebook-frame'))).toHaveLength(basicPreviews.length);
    await expect(store.get(broken.id)).rejects.toThrow(/broken-preview\.json: not valid JSON/);
    // The search index's shard files: what the in-process export makes, for every shard and no other.
    const all = catalogView([...basicWorkflows, broken], repositories, facilities);
    const { shards } = buildSearchData(all.workflows, all.repositories, all.facilities);
    expect(shards.size).toBeGreaterThan(5);
    expect(shards.has('co')).toBe(true); // the key the unreadable-catalog cases below ask for
    for (const [key, docs] of shards) expect(await store.shardFile(key)).toBe(JSON.stringify(await exportShard(docs)));
    expect(await store.shardFile('not-a-shard')).toBeNull();
    // A taken body is let go: asked again (a page rendered twice), the page renders it in-process.
    expect(await store.get(basicWorkflows[0]!.id)).toBeNull();
    expect(await store.get('not-in-the-catalog')).toBeNull();
    expect(store.held.bodies).toBe(0);
    await store.close();
    expect(await store.get(basicWorkflows[0]!.id)).toBeNull();
  }, 60_000);

  it('stays a bounded distance ahead of the pages, and still serves a page that asks out of order', async () => {
    const many = Array.from({ length: 40 }, (_, index) => makeWorkflow({ id: `many-${String(index).padStart(2, '0')}`, title: `Workflow ${index}` }));
    const catalogDir = await writeCatalog(path.join(work, 'many'), many, []);
    const repositories = RepositoriesFile.parse(JSON.parse(await readFile(path.join(catalogDir, CATALOG_FILES.repositories), 'utf8'))).items;
    const { workflows, facilities, repositoryOf } = catalogView(many, repositories, await readFacilities());
    const inProcess = (workflow: (typeof workflows)[number]) => workflowBodyHtml({ workflow, repository: repositoryOf(workflow), facilities, previewHtml: null, base: '/base/' });
    // Room for one body: the worker sends a batch (16) and waits for pages to take bodies.
    const store = storeFor(catalogDir, { heldBytes: 1 });
    expect(await store.get(workflows[0]!.id)).toBe(await inProcess(workflows[0]!));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(store.held.bodies).toBeGreaterThan(0);
    expect(store.held.bodies).toBeLessThanOrEqual(16);
    // Out of order, past what the worker may hold: it renders the wanted body anyway.
    expect(await store.get(workflows.at(-1)!.id)).toBe(await inProcess(workflows.at(-1)!));
    for (const workflow of workflows.slice(1, -1)) expect(await store.get(workflow.id)).toBe(await inProcess(workflow));
    expect(store.held).toEqual({ bodies: 0, bytes: 0 });
    expect(await store.get(workflows[0]!.id)).toBeNull();
  }, 60_000);

  it('keeps rendered previews between builds: the next build renders only the notebook that changed', async () => {
    const catalogDir = await writeCatalog(path.join(work, 'cached'), basicWorkflows, basicPreviews);
    const previewCache = path.join(work, 'cached-previews');
    const build = async () => {
      const store = storeFor(catalogDir, { previewCache });
      const bodies = new Map<string, string | null>();
      for (const workflow of basicWorkflows) bodies.set(workflow.id, await store.get(workflow.id));
      await store.finished;
      return { bodies, previews: store.previews };
    };
    const info = vi.spyOn(console, 'info').mockImplementation(() => undefined);
    try {
      const first = await build();
      expect(first.previews).toEqual({ hits: 0, rendered: basicPreviews.length, removed: 0, folder: previewCache });
      const second = await build();
      expect(second.previews).toEqual({ hits: basicPreviews.length, rendered: 0, removed: 0, folder: previewCache });
      expect(second.bodies).toEqual(first.bodies);

      // Upstream changed one notebook: its entry is rendered anew, the old one removed.
      const changed = basicPreviews[0]!;
      const updated = { ...changed, cells: [...changed.cells, { type: 'markdown' as const, source: '# Changed upstream', executionCount: null, outputs: [] }] };
      await writeFile(path.join(catalogDir, CATALOG_DIRS.previews, `${changed.id}.json`), JSON.stringify(updated));
      const third = await build();
      expect(third.previews).toEqual({ hits: basicPreviews.length - 1, rendered: 1, removed: 1, folder: previewCache });
      expect(third.bodies.get(changed.id)).toContain('<h3>Changed upstream</h3>');
      expect(first.bodies.get(changed.id)).not.toContain('Changed upstream');
      for (const workflow of basicWorkflows.filter((workflow) => workflow.id !== changed.id)) expect(third.bodies.get(workflow.id)).toBe(first.bodies.get(workflow.id));
      expect(info).toHaveBeenLastCalledWith(`ida-catalog: notebook previews: ${basicPreviews.length - 1} from the build cache, 1 rendered (${previewCache})`);
    } finally {
      info.mockRestore();
    }
  }, 60_000);

  it("versions the preview cache by the preview renderer's own code: the rest of the site can change without emptying it", async () => {
    const { version, files } = await previewRendererVersion();
    expect(version).toMatch(/^[0-9a-f]{16}$/);
    expect((await previewRendererVersion()).version).toBe(version);
    for (const file of ['site/lib/render/notebook-preview.ts', 'site/lib/render/html.ts', 'site/lib/sanitize.ts', 'site/lib/highlight.ts', 'site/lib/preview.ts', 'catalog/contract/preview.ts']) expect(files).toContain(file);
    for (const file of ['site/lib/render/launch-panel.ts', 'site/lib/render/workflow-body.ts', 'site/lib/render/body-worker.ts']) expect(files).not.toContain(file);
    expect(files.filter((file) => file.startsWith('site/lib/launch/') || file.startsWith('site/lib/search/'))).toEqual([]);
  }, 60_000);

  it('answers null for every page when it cannot read the catalog, so pages render in-process', async () => {
    const catalogDir = await writeCatalog(path.join(work, 'unreadable'), basicWorkflows, basicPreviews);
    await writeFile(path.join(catalogDir, CATALOG_FILES.workflows), '{ "schemaVersion": 1, "items": [ ');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const store = storeFor(catalogDir);
      expect(await store.get(basicWorkflows[0]!.id)).toBeNull();
      expect(await store.shardFile('co')).toBeNull();
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/could not read the catalog \(.*workflows\.json: not valid JSON/));
    } finally {
      warn.mockRestore();
    }
  }, 60_000);

  it('answers null, with a warning, when its worker runs out of heap, so pages render in-process', async () => {
    const catalogDir = await writeCatalog(path.join(work, 'out-of-heap'), basicWorkflows, basicPreviews);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      // Far below what loading the renderer takes: the worker dies before its first body.
      const store = storeFor(catalogDir, { heapMiB: 2 });
      expect(await store.get(basicWorkflows[0]!.id)).toBeNull();
      expect(await store.shardFile('co')).toBeNull();
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/page-body worker stopped \(.*out of memory.*\); the remaining workflow pages render in-process/i));
    } finally {
      warn.mockRestore();
    }
  }, 60_000);

  it('answers null when its worker never starts (its bundle failed), so pages render in-process', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const store = BodyStore.starting(Promise.reject(new Error('bundle failed')), { base: '/' });
      expect(store.base).toBe('/');
      expect(await store.get(basicWorkflows[0]!.id)).toBeNull();
      expect(await store.shardFile('co')).toBeNull();
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/could not start \(bundle failed\)/));
      await store.close();
    } finally {
      warn.mockRestore();
    }
  });
});
