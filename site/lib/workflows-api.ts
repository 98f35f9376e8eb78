/** `/api/workflows.json` (page 1) and `/api/workflows/<n>.json`: workflows in ESAP's paginated envelope. */
import { MAX_PAGE_SIZE, type Workflow, type WorkflowsPage } from '../../catalog/contract/index.js';
import { esapPage } from './api-page.js';

/** Static files cannot take a page_size, so they serve the largest page ESAP allows. */
export const STATIC_PAGE_SIZE = MAX_PAGE_SIZE;

export function pageCount(total: number, pageSize = STATIC_PAGE_SIZE): number {
  return Math.ceil(total / pageSize);
}

// Every page of one build slices the same sorted list: sort it once per catalog.
const sortedById = new WeakMap<readonly Workflow[], Workflow[]>();

/** One page of workflows, sorted by id (stable across builds). A page past the end is empty. */
export function workflowsPage(workflows: readonly Workflow[], page: number, pageSize = STATIC_PAGE_SIZE): WorkflowsPage {
  let sorted = sortedById.get(workflows);
  if (!sorted) {
    sorted = [...workflows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    sortedById.set(workflows, sorted);
  }
  return esapPage(
    sorted,
    `Interactive data analysis workflows (Jupyter notebooks) in the ida-catalog. Page N of ${pageCount(sorted.length, pageSize)} is at /api/workflows/N.json (page 1 is also /api/workflows.json).`,
    page,
    pageSize,
  );
}

/** Compact JSON, as the APIs it stands beside serve it: half the bytes of indented output for 10,000 workflows. */
export function jsonResponse(body: unknown): Response {
  return new Response(`${JSON.stringify(body)}\n`, { headers: { 'content-type': 'application/json; charset=utf-8' } });
}
