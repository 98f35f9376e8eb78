/**
 * The build's page writers (site/lib/build/page-writers.mjs) with the real bundled worker: they read the
 * catalog the content layer reads and write, from the template, exactly the pages the in-process renderer
 * makes (and the search index's shard files), whether the template arrives before or after they render; a
 * broken preview fails the build with its file named; workers that cannot do their work leave it to the
 * build's thread instead of hanging the build. The last test builds the real site both ways and compares.
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CATALOG_DIRS, CATALOG_FILES, RepositoriesFile, type Workflow } from '../../catalog/contract/index.js';
import { PageWriters } from '../../site/lib/build/page-writers.mjs';
import { bundlePageWorker, previewRendererVersion, TEMPLATE_ID as TEMPLATE_ID_OF_THE_BUILD } from '../../site/lib/build/render-workers.mjs';
import { catalogView } from '../../site/lib/catalog-view.js';
import { readFacilities } from '../../site/lib/load.js';
import { notebookPreviewHtml } from '../../site/lib/render/notebook-preview.js';
import { BODY_MARKER, filledPage, HEAD_MARKER, pageTemplate, TEMPLATE_ID, workflowPageFile } from '../../site/lib/render/page-template.js';
import { workflowPageParts } from '../../site/lib/render/workflow-page.js';
import { buildSearchData } from '../../site/lib/search/build.js';
import { exportShard } from '../../site/lib/search/shards.js';
import { basicPreviews, basicWorkflows, writeCatalog } from '../fixtures/site/catalogs.js';
import { buildSite } from '../support/build-site.js';
import { makeWorkflow } from '../support/records.js';

const BASE = '/base/';
const SITE = 'https://catalog.example.org';
const TEMPLATE = `<!doctype html><html lang="en"><head><meta charset="utf-8">${HEAD_MARKER}<link rel="stylesheet" href="/base/_astro/site.css"></head><body><main>${BODY_MARKER}</main><footer>ida-catalog</footer></body></html>`;

let work: string;
let workerFile: string;
const writers: PageWriters[] = [];
const savedCatalogDir = process.env.IDA_CATALOG_DIR;

type Options = { workers?: number; holdBack?: number; heapMiB?: number; previewCache?: string };

/** Writers over `catalogDir` into a fresh output folder: a worker reads its inputs' location from the environment it starts with. */
async function writersFor(catalogDir: string, name: string, options: Options = {}): Promise<{ pages: PageWriters; outDir: string }> {
  process.env.IDA_CATALOG_DIR = catalogDir;
  const outDir = path.join(work, `${name}-out`);
  await rm(outDir, { recursive: true, force: true });
  const pages = new PageWriters(workerFile, { base: BASE, site: SITE, outDir, workers: 2, ...options });
  writers.push(pages);
  return { pages, outDir };
}

/** What the in-process renderer makes of `workflows`' pages (the build's thread, and the dev server, render these). */
async function inProcessPages(catalogDir: string, workflows: Workflow[]): Promise<Map<string, string>> {
  const repositories = RepositoriesFile.parse(JSON.parse(await readFile(path.join(catalogDir, CATALOG_FILES.repositories), 'utf8'))).items;
  expect(repositories.length).toBeGreaterThan(0);
  const { facilities, repositoryOf } = catalogView(workflows, repositories, await readFacilities());
  const pages = new Map<string, string>();
  for (const workflow of workflows) {
    const preview = basicPreviews.find((candidate) => candidate.id === workflow.id) ?? null;
    const previewHtml = preview && (await notebookPreviewHtml(preview, BASE));
    pages.set(workflow.id, filledPage(pageTemplate(TEMPLATE), workflowPageParts({ workflow, repository: repositoryOf(workflow), facilities, previewHtml, base: BASE, site: SITE })));
  }
  return pages;
}

async function writtenPages(outDir: string): Promise<Map<string, string>> {
  const folder = path.join(outDir, 'workflows');
  const ids = existsSync(folder) ? readdirSync(folder).sort() : [];
  return new Map(await Promise.all(ids.map(async (id) => [id, await readFile(workflowPageFile(outDir, id), 'utf8')] as const)));
}

/** Records what a build's thread is asked to write in-process. */
function inProcessRecorder() {
  const calls: Array<{ template: string; written: string[]; outDir: string }> = [];
  const inProcess = async (template: string, written: ReadonlySet<string>, outDir: string) => {
    calls.push({ template, written: [...written].sort(), outDir });
    return 0;
  };
  return { calls, inProcess };
}

beforeAll(async () => {
  await mkdir(path.join(tmpdir()), { recursive: true });
  work = await mkdtemp(path.join(tmpdir(), 'ida-page-writers-'));
  workerFile = await bundlePageWorker();
}, 60_000);

afterAll(async () => {
  await Promise.all(writers.map((pages) => pages.close()));
  if (savedCatalogDir === undefined) delete process.env.IDA_CATALOG_DIR;
  else process.env.IDA_CATALOG_DIR = savedCatalogDir;
  await rm(work, { recursive: true, force: true });
});

describe('page template', () => {
  it('splits at exactly one head marker followed by exactly one body marker, and refuses anything else', () => {
    const template = pageTemplate(TEMPLATE);
    expect(filledPage(template, { head: '<title>T</title>', body: '<h1>B</h1>' })).toBe(TEMPLATE.replace(HEAD_MARKER, '<title>T</title>').replace(BODY_MARKER, '<h1>B</h1>'));
    // Parts are inserted, never searched: markers inside them are text like any other.
    expect(filledPage(template, { head: BODY_MARKER, body: HEAD_MARKER })).toContain(`${BODY_MARKER}<link`);
    for (const broken of [TEMPLATE.replace(HEAD_MARKER, ''), TEMPLATE.replace(BODY_MARKER, ''), TEMPLATE + HEAD_MARKER, TEMPLATE + BODY_MARKER, `${BODY_MARKER}${HEAD_MARKER}`]) {
      expect(() => pageTemplate(broken)).toThrow(/must hold <!--ida-page-head--> once, then <!--ida-page-body--> once/);
    }
  });

  it('writes a page only where the workflow route would, and only for an id the contract allows', () => {
    expect(workflowPageFile('/out', 'astropy-coordinates')).toBe(path.join('/out', 'workflows', 'astropy-coordinates', 'index.html'));
    for (const id of ['../escape', 'a/b', '', TEMPLATE_ID, 'UPPER']) expect(() => workflowPageFile('/out', id)).toThrow(/not a workflow id/);
    // The integration finds the template page where the route writes it: both name the same id.
    expect(TEMPLATE_ID_OF_THE_BUILD).toBe(TEMPLATE_ID);
  });
});

describe('page writers', () => {
  it('write, from the template, exactly the pages the in-process renderer makes, and the shard files; a broken preview fails the build, its file named', async () => {
    const broken = makeWorkflow({ id: 'broken-preview' });
    const catalogDir = await writeCatalog(path.join(work, 'catalog'), [...basicWorkflows, broken], basicPreviews);
    await writeFile(path.join(catalogDir, CATALOG_DIRS.previews, `${broken.id}.json`), '{"schemaVersion": 1, "id": ');
    const { pages, outDir } = await writersFor(catalogDir, 'basic');
    const recorder = inProcessRecorder();
    expect(pages.writePages(recorder.inProcess)).toBe(true);
    pages.useTemplate(TEMPLATE);
    await expect(pages.finish()).rejects.toThrow(/1 workflow page\(s\) could not be rendered:\n {2}.*broken-preview\.json: not valid JSON/);
    expect(await writtenPages(outDir)).toEqual(await inProcessPages(catalogDir, basicWorkflows));
    expect(recorder.calls).toEqual([]);
    // The search index's shard files: what the in-process export makes, for every shard and no other.
    const repositories = RepositoriesFile.parse(JSON.parse(await readFile(path.join(catalogDir, CATALOG_FILES.repositories), 'utf8'))).items;
    const all = catalogView([...basicWorkflows, broken], repositories, await readFacilities());
    const { shards } = buildSearchData(all.workflows, all.repositories, all.facilities);
    expect(shards.size).toBeGreaterThan(5);
    for (const [key, docs] of shards) expect(await pages.shardFile(key)).toBe(JSON.stringify(await exportShard(docs)));
    expect(await pages.shardFile('not-a-shard')).toBeNull();
  }, 60_000);

  it('keep the pages they render before the template arrives, and write them when it does; a worker held back for the template joins in', async () => {
    const many = Array.from({ length: 60 }, (_, index) => makeWorkflow({ id: `many-${String(index).padStart(2, '0')}`, title: `Workflow ${index} – ünïcode` }));
    const catalogDir = await writeCatalog(path.join(work, 'many'), many, []);
    const { pages, outDir } = await writersFor(catalogDir, 'early', { holdBack: 1 });
    expect(pages.writePages(inProcessRecorder().inProcess)).toBe(true);
    // Long enough for both workers to render all 60 pages: nothing may be written without the template.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(existsSync(path.join(outDir, 'workflows'))).toBe(false);
    pages.useTemplate(TEMPLATE);
    expect(await pages.finish()).toEqual({ written: many.length, inProcess: 0 });
    const written = await writtenPages(outDir);
    expect(written).toEqual(await inProcessPages(catalogDir, many));
    // ASCII throughout, the title's characters as references.
    expect([...written.values()].every((page) => /^[\x00-\x7f]*$/.test(page))).toBe(true);
    expect(written.get('many-07')).toContain('Workflow 7 &#8211; &#252;n&#239;code');
  }, 60_000);

  it('keep rendered previews between builds: the next build renders only the notebook that changed', async () => {
    const catalogDir = await writeCatalog(path.join(work, 'cached'), basicWorkflows, basicPreviews);
    const previewCache = path.join(work, 'cached-previews');
    const build = async (name: string) => {
      const { pages, outDir } = await writersFor(catalogDir, name, { previewCache });
      pages.writePages(inProcessRecorder().inProcess);
      pages.useTemplate(TEMPLATE);
      await pages.finish();
      return { written: await writtenPages(outDir), previews: pages.previews };
    };
    const info = vi.spyOn(console, 'info').mockImplementation(() => undefined);
    try {
      const first = await build('cache-1');
      expect(first.previews).toEqual({ hits: 0, rendered: basicPreviews.length, removed: 0, folder: previewCache });
      const second = await build('cache-2');
      expect(second.previews).toEqual({ hits: basicPreviews.length, rendered: 0, removed: 0, folder: previewCache });
      expect(second.written).toEqual(first.written);

      // Upstream changed one notebook: its entry is rendered anew, the old one removed.
      const changed = basicPreviews[0]!;
      const updated = { ...changed, cells: [...changed.cells, { type: 'markdown' as const, source: '# Changed upstream', executionCount: null, outputs: [] }] };
      await writeFile(path.join(catalogDir, CATALOG_DIRS.previews, `${changed.id}.json`), JSON.stringify(updated));
      const third = await build('cache-3');
      expect(third.previews).toEqual({ hits: basicPreviews.length - 1, rendered: 1, removed: 1, folder: previewCache });
      expect(third.written.get(changed.id)).toContain('<h3>Changed upstream</h3>');
      expect(first.written.get(changed.id)).not.toContain('Changed upstream');
      for (const workflow of basicWorkflows.filter((workflow) => workflow.id !== changed.id)) expect(third.written.get(workflow.id)).toBe(first.written.get(workflow.id));
      expect(info).toHaveBeenLastCalledWith(`ida-catalog: notebook previews: ${basicPreviews.length - 1} from the build cache, 1 rendered (${previewCache})`);
    } finally {
      info.mockRestore();
    }
  }, 60_000);

  it("version the preview cache by the preview renderer's own code: the rest of the site can change without emptying it", async () => {
    const { version, files } = await previewRendererVersion();
    expect(version).toMatch(/^[0-9a-f]{16}$/);
    expect((await previewRendererVersion()).version).toBe(version);
    for (const file of ['site/lib/render/notebook-preview.ts', 'site/lib/render/html.ts', 'site/lib/sanitize.ts', 'site/lib/highlight.ts', 'site/lib/preview.ts', 'catalog/contract/preview.ts']) expect(files).toContain(file);
    for (const file of ['site/lib/render/launch-panel.ts', 'site/lib/render/workflow-body.ts', 'site/lib/render/workflow-page.ts', 'site/lib/render/page-worker.ts']) expect(files).not.toContain(file);
    expect(files.filter((file) => file.startsWith('site/lib/launch/') || file.startsWith('site/lib/search/'))).toEqual([]);
  }, 60_000);

  it("leave every page to the build's thread when they cannot read the catalog", async () => {
    const catalogDir = await writeCatalog(path.join(work, 'unreadable'), basicWorkflows, basicPreviews);
    await writeFile(path.join(catalogDir, CATALOG_FILES.workflows), '{ "schemaVersion": 1, "items": [ ');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const { pages, outDir } = await writersFor(catalogDir, 'unreadable');
      const recorder = inProcessRecorder();
      expect(pages.writePages(recorder.inProcess)).toBe(true);
      expect(await pages.shardFile('co')).toBeNull();
      pages.useTemplate(TEMPLATE);
      expect(await pages.finish()).toEqual({ written: 0, inProcess: 0 });
      expect(recorder.calls).toEqual([{ template: TEMPLATE, written: [], outDir }]);
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/could not read the catalog \(.*workflows\.json: not valid JSON/));
    } finally {
      warn.mockRestore();
    }
  }, 60_000);

  it("leave the pages of a worker that runs out of heap to the build's thread, with a warning", async () => {
    const catalogDir = await writeCatalog(path.join(work, 'out-of-heap'), basicWorkflows, basicPreviews);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      // Far below what loading the renderer takes: the workers die before their first page.
      const { pages } = await writersFor(catalogDir, 'out-of-heap', { heapMiB: 2 });
      const recorder = inProcessRecorder();
      pages.writePages(recorder.inProcess);
      pages.useTemplate(TEMPLATE);
      await pages.finish();
      expect(recorder.calls).toHaveLength(1);
      expect(recorder.calls[0]!.written).toEqual([]);
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/a page worker stopped \(.*out of memory.*\); the build's thread writes its pages/i));
    } finally {
      warn.mockRestore();
    }
  }, 60_000);

  it('fail the build when the template cannot be used, rather than write pages without it', async () => {
    const catalogDir = await writeCatalog(path.join(work, 'no-markers'), basicWorkflows, []);
    const { pages, outDir } = await writersFor(catalogDir, 'no-markers');
    pages.writePages(inProcessRecorder().inProcess);
    pages.useTemplate('<!doctype html><p>no markers</p>');
    await expect(pages.finish()).rejects.toThrow(/must hold <!--ida-page-head--> once/);
    expect(await writtenPages(outDir)).toEqual(new Map());
  }, 60_000);

  it('let Astro render the workflow pages when the worker never starts (its bundle failed)', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const pages = PageWriters.starting(Promise.reject(new Error('bundle failed')), { base: '/', site: SITE, outDir: path.join(work, 'never'), workers: 2 });
      expect(pages.base).toBe('/');
      expect(await pages.writePages(inProcessRecorder().inProcess)).toBe(false);
      expect(await pages.shardFile('co')).toBeNull();
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/could not start \(bundle failed\); Astro renders the workflow pages/));
      await pages.finish();
    } finally {
      warn.mockRestore();
    }
  });
});

describe('workflow pages in a real build', () => {
  it("are byte for byte the same whether the page workers write them, Astro renders each one, or the build's thread writes those of stopped workers", async () => {
    const catalogDir = await writeCatalog(path.join(work, 'site-catalog'), basicWorkflows, basicPreviews);
    const [workers, astro, stopped] = await Promise.all([
      buildSite({ catalogDir }),
      buildSite({ catalogDir, env: { IDA_PAGE_WORKERS: '0' } }),
      // Workers that run out of heap before their first page.
      buildSite({ catalogDir, env: { IDA_PAGE_WORKERS: '2', IDA_PAGE_WORKER_HEAP_MIB: '2' } }),
    ]);
    try {
      const fromWorkers = await writtenPages(workers.outDir);
      expect([...fromWorkers.keys()]).toEqual(basicWorkflows.map((workflow) => workflow.id).sort());
      expect(fromWorkers).toEqual(await writtenPages(astro.outDir));
      expect(await writtenPages(stopped.outDir)).toEqual(fromWorkers);
      expect(stopped.log).toMatch(/a page worker stopped \(.*out of memory.*\); the build's thread writes its pages/i);
      expect(workers.log).not.toMatch(/page worker stopped/);
      expect(workers.log).toContain(`${basicWorkflows.length} workflow pages written (0 of them by the build's thread)`);
      // Astro renders them all (and counts them) when no worker is left when the route runs; else the build's thread writes them.
      const stoppedCount = /(\d+) workflow pages written \((\d+) of them by the build's thread\)/.exec(stopped.log);
      if (stoppedCount) expect([stoppedCount[1], stoppedCount[2]]).toEqual([`${basicWorkflows.length}`, `${basicWorkflows.length}`]);
      expect(astro.log).not.toContain('workflow pages written');
      // The template page itself is not part of the site.
      expect(existsSync(path.join(workers.outDir, 'workflows', TEMPLATE_ID))).toBe(false);
      expect(fromWorkers.get(basicWorkflows[0]!.id)).toContain('<script type="application/ld+json">');
    } finally {
      await Promise.all([workers, astro, stopped].map(({ outDir }) => rm(path.dirname(outDir), { recursive: true, force: true })));
    }
  }, 240_000);
});
