/** The flexsearch index, built here at build time and exported: `{ key: data }` for Document.import. */
import type { APIRoute } from 'astro';
import { siteCatalog } from '../../lib/catalog.js';
import { exportIndex } from '../../lib/search/build.js';

export const GET: APIRoute = async () => {
  const { search } = await siteCatalog();
  return new Response(JSON.stringify(await exportIndex(search.indexDocs)), { headers: { 'content-type': 'application/json' } });
};
