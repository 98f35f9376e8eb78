/** Open data: page N ≥ 2 of the workflow catalog (page 1 is /api/workflows.json). */
import type { APIRoute, GetStaticPaths } from 'astro';
import { siteCatalog } from '../../../lib/catalog.js';
import { jsonResponse, pageCount, workflowsPage } from '../../../lib/workflows-api.js';

export const getStaticPaths: GetStaticPaths = async () => {
  const pages = pageCount((await siteCatalog()).workflows.length);
  return Array.from({ length: Math.max(0, pages - 1) }, (_, index) => ({ params: { page: String(index + 2) } }));
};

export const GET: APIRoute = async ({ params }) => jsonResponse(workflowsPage((await siteCatalog()).workflows, Number(params.page)));
