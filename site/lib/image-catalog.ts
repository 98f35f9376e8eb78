/** The catalog's images with their links (images.ts), loaded once per build for every page that shows images. */
import { getCollection } from 'astro:content';
import { siteCatalog } from './catalog.js';
import { imageLinks, type ImageLinks } from './images.js';

let cached: Promise<ImageLinks> | null = null;

export function siteImages(): Promise<ImageLinks> {
  cached ??= (async () => imageLinks((await getCollection('images')).map((entry) => entry.data), (await siteCatalog()).workflows))();
  return cached;
}
