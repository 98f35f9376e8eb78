/**
 * What is particular to one workflow's page: its head (title, description, canonical link, Open Graph,
 * schema.org JSON-LD) and its body (workflow-body.ts). Everything else on the page is the same for every
 * workflow, which is what lets the build write these pages from one template (page-template.ts).
 */
import { scriptJson, softwareSourceCode } from '../jsonld.js';
import { mediaHref } from '../sanitize.js';
import { repositoryName } from '../search/facets.js';
import { pageHeadHtml } from './page-head.js';
import { workflowBodyHtml, type WorkflowBodyInput } from './workflow-body.js';

export type PageParts = { head: string; body: string };

export type WorkflowPageInput = WorkflowBodyInput & {
  /** The site's public origin (Astro's `site`), for canonical and Open Graph URLs. */
  site: string;
};

/** The workflow page's path under the site's base: the route pages/workflows/[id]/ in directory format. */
export function workflowPagePath(base: string, id: string): string {
  return `${base}workflows/${id}/`;
}

export function workflowPageParts(input: WorkflowPageInput): PageParts {
  const { workflow, repository, base, site } = input;
  const canonical = new URL(workflowPagePath(base, workflow.id), site).href;
  const ogImage = workflow.thumbnail ? new URL(mediaHref(base, workflow.thumbnail), site).href : null;
  const fileName = workflow.path.split('/').pop() ?? workflow.path;
  const summary = workflow.description || `${fileName} in ${repositoryName(workflow, repository)}`;
  const head =
    pageHeadHtml({ title: workflow.title, description: summary.slice(0, 300), canonical, ogType: 'article', ogImage }) +
    `<script type="application/ld+json">${scriptJson(softwareSourceCode(workflow, canonical, ogImage))}</script>`;
  return { head, body: workflowBodyHtml(input) };
}
