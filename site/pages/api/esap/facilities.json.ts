/** Open data for ESAP: every facility with ESAP IDA's field names, in its search envelope (page 1 of up to 500). */
import type { APIRoute } from 'astro';
import { getCollection } from 'astro:content';
import { esapFacilitiesPage } from '../../../lib/esap-api.js';
import { jsonResponse } from '../../../lib/workflows-api.js';

export const GET: APIRoute = async () => jsonResponse(esapFacilitiesPage((await getCollection('facilities')).map((entry) => entry.data)));
