/**
 * The build's body store (site/lib/build/body-store.mjs) with the real bundled worker: it reads the catalog
 * the content layer reads, and every body it hands back is the one the in-process renderer makes; a broken
 * preview fails with its file named, and a catalog the worker cannot read leaves every page to in-process
 * rendering instead of hanging the build.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CATALOG_DIRS, CATALOG_FILES, RepositoriesFile } from '../../catalog/contract/index.js';
import { BodyStore } from '../../site/lib/build/body-store.mjs';
import { bundleBodyWorker } from '../../site/lib/build/render-workers.mjs';
import { readFacilities } from '../../site/lib/load.js';
import { catalogView } from '../../site/lib/catalog-view.js';
import { workflowBodyHtml } from '../../site/lib/render/workflow-body.js';
import { basicPreviews, basicWorkflows, writeCatalog } from '../fixtures/site/catalogs.js';
import { makeWorkflow } from '../support/records.js';

const broken = makeWorkflow({ id: 'broken-preview' });
let work: string;
let workerFile: string;
const stores: BodyStore[] = [];
const savedCatalogDir = process.env.IDA_CATALOG_DIR;

/** A store over `catalogDir`: a worker reads its inputs' location from the environment it starts with. */
function storeFor(catalogDir: string): BodyStore {
  process.env.IDA_CATALOG_DIR = catalogDir;
  const store = new BodyStore(workerFile, { base: '/base/' });
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
      expect(bodies[index]).toBe(await workflowBodyHtml({ workflow, repository, facilities, preview, base: '/base/' }));
    }
    expect(bodies.filter((body) => body?.includes('notebook notebook-frame'))).toHaveLength(basicPreviews.length);
    await expect(store.get(broken.id)).rejects.toThrow(/broken-preview\.json: not valid JSON/);
    // Asked again, the same answer: a page may be rendered twice (Astro's fallback routes).
    expect(await store.get(basicWorkflows[0]!.id)).toBe(bodies.at(-1));
    expect(await store.get('not-in-the-catalog')).toBeNull();
    await store.close();
    expect(await store.get(basicWorkflows[0]!.id)).toBeNull();
  }, 60_000);

  it('answers null for every page when it cannot read the catalog, so pages render in-process', async () => {
    const catalogDir = await writeCatalog(path.join(work, 'unreadable'), basicWorkflows, basicPreviews);
    await writeFile(path.join(catalogDir, CATALOG_FILES.workflows), '{ "schemaVersion": 1, "items": [ ');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const store = storeFor(catalogDir);
      expect(await store.get(basicWorkflows[0]!.id)).toBeNull();
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/could not read the catalog \(.*workflows\.json: not valid JSON/));
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
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/could not start \(bundle failed\)/));
      await store.close();
    } finally {
      warn.mockRestore();
    }
  });
});
