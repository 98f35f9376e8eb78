/** The search's first payload: what ranks, filters and draws a card, column by column (lib/search/config.ts). */
import type { APIRoute } from 'astro';
import { siteCatalog } from '../../lib/catalog.js';
import { encodePayload } from '../../lib/search/config.js';

export const GET: APIRoute = async () => {
  const { search } = await siteCatalog();
  return new Response(JSON.stringify(encodePayload(search.payload)), { headers: { 'content-type': 'application/json' } });
};
