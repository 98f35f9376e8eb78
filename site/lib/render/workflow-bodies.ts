/**
 * A workflow page's body for the page template. In `astro build` (where site/lib/build/render-workers.mjs
 * has bundled the worker and named it in IDA_RENDER_WORKER) bodies come from a pool of worker threads
 * that render them ahead of the pages; elsewhere (dev server, a one-core machine) they render in-process.
 */
import { availableParallelism } from 'node:os';
import type { Workflow } from '../../../catalog/contract/index.js';
import { siteCatalog } from '../catalog.js';
import { readPreview } from '../load.js';
import { BodyPool } from './body-pool.js';
import { workflowBodyHtml } from './workflow-body.js';

export const RENDER_WORKER_ENV = 'IDA_RENDER_WORKER';
/** Where a build's pools are registered, so the integration can stop them when the build is done. */
export const POOLS = Symbol.for('ida-catalog.render-pools');

let pool: Promise<BodyPool | null> | null = null;

async function createPool(base: string): Promise<BodyPool | null> {
  const file = process.env[RENDER_WORKER_ENV];
  const threads = Math.min(4, availableParallelism() - 1);
  if (!file || threads < 1) return null;
  const { workflows, facilities, repositoryOf } = await siteCatalog();
  const order = workflows.map((workflow) => ({ workflow, repository: repositoryOf(workflow) }));
  const created = new BodyPool(file, order, facilities, base, threads);
  const registry = ((globalThis as Record<symbol, Set<BodyPool> | undefined>)[POOLS] ??= new Set());
  registry.add(created);
  return created;
}

export async function workflowBody(workflow: Workflow, base: string): Promise<string> {
  pool ??= createPool(base);
  const workers = await pool;
  const { facilities, repositoryOf } = await siteCatalog();
  const repository = repositoryOf(workflow);
  if (workers) return workers.get({ workflow, repository });
  return workflowBodyHtml({ workflow, repository, facilities, preview: readPreview(workflow.id), base });
}
