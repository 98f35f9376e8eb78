/** Open data for ESAP: page N ≥ 2 of the workflows with ESAP IDA's field names (page 1 is /api/esap/workflows.json). */
import type { APIRoute, GetStaticPaths } from 'astro';
import { siteCatalog } from '../../../../lib/catalog.js';
import { esapWorkflowsPage } from '../../../../lib/esap-api.js';
import { jsonResponse, pageCount } from '../../../../lib/workflows-api.js';

export const getStaticPaths: GetStaticPaths = async () => {
  const pages = pageCount((await siteCatalog()).workflows.length);
  return Array.from({ length: Math.max(0, pages - 1) }, (_, index) => ({ params: { page: String(index + 2) } }));
};

export const GET: APIRoute = async ({ params }) => jsonResponse(esapWorkflowsPage((await siteCatalog()).workflows, Number(params.page)));
