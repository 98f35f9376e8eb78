/**
 * Workflow pages written from a template. Astro renders the workflow route once, for a template id, with
 * markers where a page's own head and body go; the build's worker threads (site/lib/build/page-writers.mjs)
 * then write each workflow's page as template + parts (workflow-page.ts). Astro's per-page work (routing,
 * component rendering, its generation loop), not ours, was most of a 10,000-workflow build's time.
 *
 * A filled page is byte for byte the page Astro renders for that workflow (test/site/page-writers.test.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Slug } from '../../../catalog/contract/index.js';
import type { PageParts } from './workflow-page.js';

/** Not a slug (the contract's ids are), so never a workflow's id. */
export const TEMPLATE_ID = '_ida-page-template';
/** Where the page's own head and body go; inserted as raw HTML, so no escaping can alter them. */
export const HEAD_MARKER = '<!--ida-page-head-->';
export const BODY_MARKER = '<!--ida-page-body-->';

/** The template's text around the two markers. */
export type PageTemplate = readonly [beforeHead: string, betweenHeadAndBody: string, afterBody: string];

/** Splits the rendered template page; anything but exactly one head marker before exactly one body marker is an error. */
export function pageTemplate(rendered: string): PageTemplate {
  const [beforeHead, rest, ...moreHeads] = rendered.split(HEAD_MARKER);
  const [between, afterBody, ...moreBodies] = (rest ?? '').split(BODY_MARKER);
  if (beforeHead === undefined || rest === undefined || moreHeads.length > 0 || between === undefined || afterBody === undefined || moreBodies.length > 0) {
    throw new Error(`the workflow page template must hold ${HEAD_MARKER} once, then ${BODY_MARKER} once`);
  }
  return [beforeHead, between, afterBody];
}

export function filledPage([beforeHead, between, afterBody]: PageTemplate, { head, body }: PageParts): string {
  return beforeHead + head + between + body + afterBody;
}

/** The file Astro writes for workflows/<id>/ (directory format), under the build's output folder. */
export function workflowPageFile(outDir: string, id: string): string {
  // Ids are checked by the content layer, but the workers read the records unchecked: a path must stay a path.
  if (!Slug.safeParse(id).success) throw new Error(`not a workflow id: ${JSON.stringify(id)}`);
  return path.join(outDir, 'workflows', id, 'index.html');
}

export function writeWorkflowPage(outDir: string, id: string, page: string): void {
  const file = workflowPageFile(outDir, id);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, page);
}
