/** One shard of the flexsearch index, built and exported at build time (see lib/search/shards.ts). */
import type { APIRoute, GetStaticPaths } from 'astro';
import { siteCatalog } from '../../../lib/catalog.js';
import { exportShard } from '../../../lib/search/shards.js';

export const getStaticPaths: GetStaticPaths = async () => (await siteCatalog()).search.payload.shards.map((shard) => ({ params: { shard } }));

export const GET: APIRoute = async ({ params }) => {
  const key = String(params.shard);
  const file = JSON.stringify(await exportShard((await siteCatalog()).search.shards.get(key) ?? []));
  return new Response(file, { headers: { 'content-type': 'application/json' } });
};
