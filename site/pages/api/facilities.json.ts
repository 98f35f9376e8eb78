/**
 * Static JSON API: every facility in one response, in ESAP's search envelope. A static file answers no
 * query, so it is the page a client asking for the largest page size would get: page 1 of up to 500.
 */
import type { APIRoute } from 'astro';
import { getCollection } from 'astro:content';
import { MAX_PAGE_SIZE } from '../../../catalog/contract/index.js';
import { facilitiesPage } from '../../lib/facilities-api.js';

export const GET: APIRoute = async () => {
  const facilities = (await getCollection('facilities')).map((entry) => entry.data);
  const body = facilitiesPage(facilities, { page: 1, pageSize: MAX_PAGE_SIZE });
  return new Response(`${JSON.stringify(body, null, 2)}\n`, { headers: { 'content-type': 'application/json; charset=utf-8' } });
};
