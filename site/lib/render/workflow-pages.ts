/**
 * Workflow pages rendered in Astro's own thread: every page in the dev server (and wherever the build has no
 * page writers), and in a build the pages a stopped worker left (InProcessPages, build-writers.ts). The same
 * functions as the workers' (page-worker.ts), over the content collections.
 */
import type { Workflow } from '../../../catalog/contract/index.js';
import { siteCatalog } from '../catalog.js';
import type { InProcessPages } from './build-writers.js';
import { filledPage, pageTemplate, writeWorkflowPage } from './page-template.js';
import { workflowPageParts, type PageParts } from './workflow-page.js';
import { workflowPreviewHtml } from './workflow-preview.js';

export async function workflowPagePartsInProcess(workflow: Workflow, base: string, site: string): Promise<PageParts> {
  const { facilities, repositoryOf } = await siteCatalog();
  return workflowPageParts({ workflow, repository: repositoryOf(workflow), facilities, previewHtml: await workflowPreviewHtml(workflow.id, base), base, site });
}

export function inProcessPages(base: string, site: string): InProcessPages {
  return async (rendered, written, outDir) => {
    const template = pageTemplate(rendered);
    const left = (await siteCatalog()).workflows.filter((workflow) => !written.has(workflow.id));
    for (const workflow of left) writeWorkflowPage(outDir, workflow.id, filledPage(template, await workflowPagePartsInProcess(workflow, base, site)));
    return left.length;
  };
}
