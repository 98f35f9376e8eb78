/**
 * Static routes that copy the catalog's content-addressed images into the built site: preview outputs
 * at media/<sha>.<ext>, and each workflow's thumbnail at workflows/<id>/thumbnail.<ext> (so a search
 * card needs only the workflow id, not a 64-character hash, in the search payload). A build copies the
 * thousands of thumbnails instead of rendering them (site/integrations/thumbnails.mjs).
 */
import { readFile } from 'node:fs/promises';
import type { APIRoute, GetStaticPaths } from 'astro';
import { listMedia, mediaFile, workflowThumbnails } from './load.js';

type Ext = 'png' | 'jpg';
const TYPES: Record<Ext, string> = { png: 'image/png', jpg: 'image/jpeg' };

/** `paths` gives each route's parameters and the file on disk it serves. */
function imageRoute(ext: Ext, paths: () => Promise<Array<{ params: Record<string, string>; file: string }>>) {
  return {
    getStaticPaths: (async () => (await paths()).map(({ params, file }) => ({ params, props: { file } }))) satisfies GetStaticPaths,
    GET: (async ({ props }) => new Response(new Uint8Array(await readFile(String(props.file))), { headers: { 'content-type': TYPES[ext] } })) satisfies APIRoute,
  };
}

/** For `pages/media/[hash].<ext>.ts`. */
export function mediaRoute(ext: Ext) {
  return imageRoute(ext, async () =>
    (await listMedia()).filter((file) => file.endsWith(`.${ext}`)).map((name) => ({ params: { hash: name.slice(0, -ext.length - 1) }, file: mediaFile(name) })),
  );
}

/** For `pages/workflows/[id]/thumbnail.<ext>.ts`: the dev server's; a build copies them. */
export function thumbnailRoute(ext: Ext) {
  return imageRoute(ext, async () =>
    import.meta.env.DEV ? (await workflowThumbnails()).filter((thumbnail) => thumbnail.ext === ext).map(({ id, file }) => ({ params: { id }, file })) : [],
  );
}
