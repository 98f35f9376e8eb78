/**
 * The build's preview step (site/integrations/previews.mjs) with its real worker pool and cache (cacache): it
 * renders each preview the cache lacks, exactly as a page renders it; the next build renders only what
 * changed; entries no preview uses any more are removed once they are a quarter of the cache; a preview that
 * cannot be rendered is left to its page. The cache is versioned by the preview renderer's own code.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import cacache from 'cacache';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG_DIRS } from '../../catalog/contract/index.js';
import { bundlePreviewWorker, renderPreviews } from '../../site/integrations/previews.mjs';
import { notebookPreviewHtml } from '../../site/lib/render/notebook-preview.js';
import { basicPreviews, basicWorkflows, writeCatalog } from '../fixtures/site/catalogs.js';
import { makeWorkflow } from '../support/records.js';

const BASE = '/base/';
let work: string;
let catalogDir: string;
let worker: Awaited<ReturnType<typeof bundlePreviewWorker>>;
let previewKey: typeof import('../../site/lib/render/workflow-preview.js').previewKey;
let workflowPreviewHtml: typeof import('../../site/lib/render/workflow-preview.js').workflowPreviewHtml;
const savedCatalogDir = process.env.IDA_CATALOG_DIR;

/** Eight distinct notebooks, as a catalog has. */
const previews = Array.from({ length: 8 }, (_, index) => ({ ...basicPreviews[0]!, id: `notebook-${index}`, cells: [{ type: 'markdown' as const, source: `# Notebook ${index}`, executionCount: null, outputs: [] }, ...basicPreviews[0]!.cells] }));

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'ida-preview-step-'));
  // The site's inputs are read from the environment once, when load.ts is first imported, here as in the workers.
  catalogDir = path.join(work, 'catalog');
  process.env.IDA_CATALOG_DIR = catalogDir;
  ({ previewKey, workflowPreviewHtml } = await import('../../site/lib/render/workflow-preview.js'));
  worker = await bundlePreviewWorker();
}, 60_000);

afterAll(async () => {
  if (savedCatalogDir === undefined) delete process.env.IDA_CATALOG_DIR;
  else process.env.IDA_CATALOG_DIR = savedCatalogDir;
  await rm(work, { recursive: true, force: true });
});

/** A fresh catalog of `previews` in the folder the environment names, and a fresh cache. */
async function catalogFor(name: string) {
  await rm(catalogDir, { recursive: true, force: true });
  await writeCatalog(catalogDir, basicWorkflows, previews);
  return { catalogDir, cache: { folder: path.join(work, `${name}-cache`), version: worker.version, table: path.join(work, `${name}-cache`, 'digests.json') } };
}

describe('preview step', () => {
  it('renders every preview into the cache as a page renders it, and the next build only what changed', async () => {
    const { catalogDir, cache } = await catalogFor('builds');
    const run = () => renderPreviews(worker.file, { base: BASE, cache, workers: 2 });
    expect(await run()).toMatchObject({ hits: 0, rendered: previews.length, removed: 0 });
    // A page's preview is the renderer's, found in the cache.
    for (const preview of previews) expect(await workflowPreviewHtml(preview.id, BASE, cache)).toBe(notebookPreviewHtml(preview, BASE));
    expect(await workflowPreviewHtml(preview0().id, BASE, null)).toBe(notebookPreviewHtml(preview0(), BASE));
    expect(await run()).toMatchObject({ hits: previews.length, rendered: 0, removed: 0 });

    // Upstream changed one notebook: it alone is rendered anew.
    const changed = { ...preview0(), cells: [...preview0().cells, { type: 'markdown' as const, source: '# Changed upstream', executionCount: null, outputs: [] }] };
    await writeFile(path.join(catalogDir, CATALOG_DIRS.previews, `${changed.id}.json`), JSON.stringify(changed));
    expect(await run()).toMatchObject({ hits: previews.length - 1, rendered: 1 });
    expect(await workflowPreviewHtml(changed.id, BASE, cache)).toContain('<h3>Changed upstream</h3>');
  }, 60_000);

  it("lists each preview's content digest, which pages read it by without the cache's index; a digest whose content is gone is a miss", async () => {
    const { cache } = await catalogFor('table');
    await renderPreviews(worker.file, { base: BASE, cache, workers: 2 });
    const table = new Map<string, string>(JSON.parse(await readFile(cache.table, 'utf8')));
    const keys = previews.map((preview) => previewKey(cache.version, BASE, readFileSync(path.join(catalogDir, CATALOG_DIRS.previews, `${preview.id}.json`), 'utf8')));
    expect([...table.keys()].sort()).toEqual([...keys].sort());
    for (const key of keys) expect(table.get(key)).toBe((await cacache.get.info(cache.folder, key))?.integrity);

    // Without its index entry, a preview is still read by its digest (a lookup through the index would miss,
    // render it and put it back).
    await cacache.rm.entry(cache.folder, keys[0]!);
    expect(await workflowPreviewHtml(preview0().id, BASE, cache)).toBe(notebookPreviewHtml(preview0(), BASE));
    expect(await cacache.get.info(cache.folder, keys[0]!)).toBeNull();

    // The next step finds it listed: a hit, without the index either.
    expect(await renderPreviews(worker.file, { base: BASE, cache, workers: 2 })).toMatchObject({ hits: previews.length, rendered: 0 });
    expect(await cacache.get.info(cache.folder, keys[0]!)).toBeNull();

    // Its content gone too: a miss, rendered and put back.
    await cacache.rm.content(cache.folder, table.get(keys[0]!)!);
    expect(await workflowPreviewHtml(preview0().id, BASE, cache)).toBe(notebookPreviewHtml(preview0(), BASE));
    expect((await cacache.get.info(cache.folder, keys[0]!))?.integrity).toBe(table.get(keys[0]!));
  }, 60_000);

  it('removes the entries no preview uses once they are a quarter of the cache', async () => {
    const { catalogDir, cache } = await catalogFor('prune');
    const run = () => renderPreviews(worker.file, { base: BASE, cache, workers: 1 });
    await run();
    const entries = async () => Object.keys(await cacache.ls(cache.folder)).sort();
    const first = await entries();
    expect(first).toHaveLength(previews.length);
    // An entry of an older renderer version: dead, but not yet a quarter of the cache.
    await cacache.put(cache.folder, previewKey('old-version', BASE, '{}'), '<p>old</p>');
    expect(await run()).toMatchObject({ removed: 0 });
    expect(await entries()).toHaveLength(previews.length + 1);
    // Every notebook changed: the old entries are dead, and removed with their content.
    for (const preview of previews) await writeFile(path.join(catalogDir, CATALOG_DIRS.previews, `${preview.id}.json`), JSON.stringify({ ...preview, truncated: true }));
    expect(await run()).toMatchObject({ rendered: previews.length, removed: previews.length + 1 });
    const last = await entries();
    expect(last).toHaveLength(previews.length);
    expect(last.filter((key) => first.includes(key))).toEqual([]);
    expect((await cacache.verify(cache.folder)).totalEntries).toBe(previews.length);
  }, 60_000);

  it("leaves a preview it cannot render to its page, which fails naming the file", async () => {
    const broken = makeWorkflow({ id: 'broken-preview' });
    const { catalogDir, cache } = await catalogFor('broken');
    await writeFile(path.join(catalogDir, CATALOG_DIRS.previews, `${broken.id}.json`), '{"schemaVersion": 1, "id": ');
    expect(await renderPreviews(worker.file, { base: BASE, cache, workers: 2 })).toMatchObject({ hits: 0, rendered: previews.length });
    await expect(workflowPreviewHtml(broken.id, BASE, cache)).rejects.toThrow(/broken-preview\.json: not valid JSON/);
    expect(await workflowPreviewHtml('no-such-workflow', BASE, cache)).toBeNull();
  }, 60_000);

  it("versions the cache by the preview renderer's own code: the rest of the site can change without emptying it", async () => {
    expect(worker.version).toMatch(/^[0-9a-f]{16}$/);
    expect((await bundlePreviewWorker()).version).toBe(worker.version);
    for (const file of ['site/lib/render/notebook-preview.ts', 'site/lib/render/html.ts', 'site/lib/sanitize.ts', 'site/lib/highlight.ts', 'site/lib/preview.ts', 'catalog/contract/preview.ts']) expect(worker.inputs).toContain(file);
    expect(worker.inputs.filter((file) => /^site\/(lib\/(launch|search)|components|pages|layouts)\//.test(file))).toEqual([]);
  }, 60_000);
});

function preview0() {
  return previews[0]!;
}
