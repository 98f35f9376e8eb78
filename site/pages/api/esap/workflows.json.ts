/** Open data for ESAP: page 1 of the workflows with ESAP IDA's field names (further pages: /api/esap/workflows/<n>.json). */
import type { APIRoute } from 'astro';
import { siteCatalog } from '../../../lib/catalog.js';
import { esapWorkflowsPage } from '../../../lib/esap-api.js';
import { jsonResponse } from '../../../lib/workflows-api.js';

export const GET: APIRoute = async () => jsonResponse(esapWorkflowsPage((await siteCatalog()).workflows, 1));
