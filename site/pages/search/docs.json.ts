/** The search's first payload: what ranks, filters and draws a card (see lib/search/config.ts). */
import type { APIRoute } from 'astro';
import { siteCatalog } from '../../lib/catalog.js';

export const GET: APIRoute = async () => {
  const { search } = await siteCatalog();
  return new Response(JSON.stringify(search.payload), { headers: { 'content-type': 'application/json' } });
};
