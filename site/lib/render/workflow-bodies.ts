/**
 * A workflow page's body for the page template. In `astro build` a worker thread has rendered it ahead of the
 * page (site/lib/build/body-store.mjs); elsewhere (dev server, a one-core machine), or for a workflow the
 * worker has no body for, it renders in-process.
 */
import type { Workflow } from '../../../catalog/contract/index.js';
import { siteCatalog } from '../catalog.js';
import { buildStore } from './build-store.js';
import { workflowBodyHtml } from './workflow-body.js';
import { workflowPreviewHtml } from './workflow-preview.js';

export async function workflowBody(workflow: Workflow, base: string): Promise<string> {
  const store = buildStore();
  if (store && store.base === base) {
    const body = await store.get(workflow.id);
    if (body !== null) return body;
  }
  const { facilities, repositoryOf } = await siteCatalog();
  return workflowBodyHtml({ workflow, repository: repositoryOf(workflow), facilities, previewHtml: await workflowPreviewHtml(workflow.id, base), base });
}
