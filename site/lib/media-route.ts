/**
 * Static routes that copy the catalog's content-addressed images into the built site: preview outputs
 * at media/<sha>.<ext>, and each workflow's thumbnail at workflows/<id>/thumbnail.<ext> (so a search
 * card needs only the workflow id, not a 64-character hash, in the search payload). In a build, the
 * thousands of thumbnails are handed to site/lib/build/thumbnails.mjs to copy instead of rendered.
 */
import type { APIRoute, GetStaticPaths } from 'astro';
import { siteCatalog } from './catalog.js';
import { listMedia, mediaFile, readMedia } from './load.js';

type Ext = 'png' | 'jpg';
const TYPES: Record<Ext, string> = { png: 'image/png', jpg: 'image/jpeg' };

function imageRoute(ext: Ext, paths: () => Promise<Array<{ params: Record<string, string>; file: string }>>) {
  return {
    getStaticPaths: (async () => (await paths()).map(({ params, file }) => ({ params, props: { file } }))) satisfies GetStaticPaths,
    GET: (async ({ props }) => new Response(new Uint8Array(await readMedia(String(props.file))), { headers: { 'content-type': TYPES[ext] } })) satisfies APIRoute,
  };
}

/** For `pages/media/[hash].<ext>.ts`. */
export function mediaRoute(ext: Ext) {
  return imageRoute(ext, async () =>
    (await listMedia()).filter((file) => file.endsWith(`.${ext}`)).map((file) => ({ params: { hash: file.slice(0, -ext.length - 1) }, file })),
  );
}

/** Set by the build integration that copies thumbnails (site/lib/build/thumbnails.mjs). */
const COPY_ENV = 'IDA_COPY_THUMBNAILS';
const COPIES = Symbol.for('ida-catalog.thumbnail-copies');

/** For `pages/workflows/[id]/thumbnail.<ext>.ts`. */
export function thumbnailRoute(ext: Ext) {
  return imageRoute(ext, async () => {
    const available = new Set(await listMedia());
    const thumbnails = (await siteCatalog()).workflows
      .map((workflow) => ({ id: workflow.id, file: workflow.thumbnail?.slice('media/'.length) ?? '' }))
      .filter(({ file }) => file.endsWith(`.${ext}`) && available.has(file))
      .map(({ id, file }) => ({ params: { id }, file }));
    if (!process.env[COPY_ENV]) return thumbnails;
    // Keyed by target: Astro may ask a route for its paths more than once.
    const copies = ((globalThis as Record<symbol, Map<string, string> | undefined>)[COPIES] ??= new Map());
    for (const { params, file } of thumbnails) copies.set(`workflows/${params.id}/thumbnail.${ext}`, mediaFile(file));
    return [];
  });
}
