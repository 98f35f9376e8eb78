/** Open data: page 1 of the workflow catalog in ESAP's envelope (further pages: /api/workflows/<n>.json). */
import type { APIRoute } from 'astro';
import { siteCatalog } from '../../lib/catalog.js';
import { jsonResponse, workflowsPage } from '../../lib/workflows-api.js';

export const GET: APIRoute = async () => jsonResponse(workflowsPage((await siteCatalog()).workflows, 1));
