/**
 * The build's page-body worker pool (site/lib/render/body-pool.ts) with the real bundled worker: bodies
 * come back identical to the in-process renderer, in any order asked, and a broken preview fails with
 * its file named instead of hanging the build.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG_DIRS } from '../../catalog/contract/index.js';
import { bundleBodyWorker } from '../../site/lib/build/render-workers.mjs';
import { BodyPool, type BodyJob } from '../../site/lib/render/body-pool.js';
import { workflowBodyHtml } from '../../site/lib/render/workflow-body.js';
import { basicPreviews, basicWorkflows, writeCatalog } from '../fixtures/site/catalogs.js';
import { makeWorkflow } from '../support/records.js';
import { facility } from '../launch/fixtures.js';

const facilities = [facility()];
const broken = makeWorkflow({ id: 'broken-preview' });
const jobs: BodyJob[] = [...basicWorkflows, broken].map((workflow) => ({ workflow, repository: undefined }));
let work: string;
let pool: BodyPool;
const savedCatalogDir = process.env.IDA_CATALOG_DIR;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'ida-pool-'));
  const catalogDir = await writeCatalog(path.join(work, 'catalog'), basicWorkflows, basicPreviews);
  await writeFile(path.join(catalogDir, CATALOG_DIRS.previews, `${broken.id}.json`), '{"schemaVersion": 1, "id": ');
  // A worker reads its inputs' location from the environment it starts with.
  process.env.IDA_CATALOG_DIR = catalogDir;
  pool = new BodyPool(await bundleBodyWorker(), jobs, facilities, '/base/', 2);
}, 60_000);

afterAll(async () => {
  await pool?.close();
  if (savedCatalogDir === undefined) delete process.env.IDA_CATALOG_DIR;
  else process.env.IDA_CATALOG_DIR = savedCatalogDir;
  await rm(work, { recursive: true, force: true });
});

describe('page-body worker pool', () => {
  it('renders each body exactly as the in-process renderer does, asked out of order', async () => {
    const good = jobs.filter((job) => job.workflow.id !== broken.id).reverse();
    const bodies = await Promise.all(good.map((job) => pool.get(job)));
    for (const [index, job] of good.entries()) {
      const preview = basicPreviews.find((candidate) => candidate.id === job.workflow.id) ?? null;
      expect(bodies[index]).toBe(await workflowBodyHtml({ workflow: job.workflow, repository: undefined, facilities, preview, base: '/base/' }));
    }
    expect(bodies.filter((body) => body.includes('notebook notebook-frame'))).toHaveLength(basicPreviews.length);
  });

  it('rejects a broken preview with its file named, and a body asked for twice, instead of hanging', async () => {
    await expect(pool.get(jobs.at(-1)!)).rejects.toThrow(/broken-preview\.json: not valid JSON/);
    await expect(pool.get(jobs[0]!)).rejects.toThrow(/asked for twice/);
  });
});
