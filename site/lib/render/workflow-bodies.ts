/**
 * A workflow page's body for the page template. In `astro build` a worker thread has rendered it ahead of the
 * page (site/lib/build/body-store.mjs); elsewhere (dev server, a one-core machine), or for a workflow the
 * worker has no body for, it renders in-process.
 */
import type { Workflow } from '../../../catalog/contract/index.js';
import { siteCatalog } from '../catalog.js';
import { readPreview } from '../load.js';
import { workflowBodyHtml } from './workflow-body.js';

/** Where site/lib/build/render-workers.mjs puts the build's body store. */
const BODY_STORE = Symbol.for('ida-catalog.body-store');
type BodyStore = { base: string; get: (id: string) => Promise<string | null> };

export async function workflowBody(workflow: Workflow, base: string): Promise<string> {
  const store = (globalThis as Record<symbol, BodyStore | undefined>)[BODY_STORE];
  if (store && store.base === base) {
    const body = await store.get(workflow.id);
    if (body !== null) return body;
  }
  const { facilities, repositoryOf } = await siteCatalog();
  return workflowBodyHtml({ workflow, repository: repositoryOf(workflow), facilities, preview: readPreview(workflow.id), base });
}
