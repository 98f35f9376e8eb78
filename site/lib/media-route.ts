/** Copies the catalog's content-addressed images (thumbnails, preview outputs) into the built site. */
import type { APIRoute, GetStaticPaths } from 'astro';
import { listMedia, readMedia } from './load.js';

const TYPES = { png: 'image/png', jpg: 'image/jpeg' } as const;

/** The static paths and handler for `pages/media/[hash].<ext>.ts`: one route file per extension. */
export function mediaRoute(ext: keyof typeof TYPES): { getStaticPaths: GetStaticPaths; GET: APIRoute } {
  return {
    getStaticPaths: async () =>
      (await listMedia()).filter((file) => file.endsWith(`.${ext}`)).map((file) => ({ params: { hash: file.slice(0, -ext.length - 1) } })),
    GET: async ({ params }) => new Response(new Uint8Array(await readMedia(`${params.hash}.${ext}`)), { headers: { 'content-type': TYPES[ext] } }),
  };
}
