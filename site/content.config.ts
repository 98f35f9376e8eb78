/**
 * Astro content layer: the site's data, loaded from the committed inputs and validated by the
 * catalog contract's zod schemas (the same ones the CLI validator and the crawler use): the loaders check
 * each file's envelope, the collection schema checks every record, once. (An inline loader function would
 * have Astro check the whole returned array with a schema of its own first: a second pass over 10,000 records.)
 */
// From astro/content/config rather than astro:content: the same function, without loading Astro's content
// runtime into the config loader at start-up (~0.4 s of every build).
import { defineCollection } from 'astro/content/config';
import type { Loader } from 'astro/loaders';
import { CuratedWorkflow, Facility, Image, Repository, Workflow } from '../catalog/contract/index.js';
import { readCatalogItems, readCurated, readFacilities, type UncheckedItem } from './lib/load.js';

function itemsLoader(name: string, items: () => Promise<UncheckedItem[]>, idOf: (item: UncheckedItem) => unknown): Loader {
  return {
    name: `ida-catalog:${name}`,
    load: async ({ store, parseData }) => {
      store.clear();
      for (const raw of await items()) {
        const id = String(idOf(raw));
        store.set({ id, data: await parseData({ id, data: { ...raw, id } }) });
      }
    },
  };
}

const facilities = defineCollection({
  loader: itemsLoader('facilities', readFacilities, (facility) => facility.id),
  schema: Facility,
});

const workflows = defineCollection({
  loader: itemsLoader('workflows', () => readCatalogItems('workflows'), (workflow) => workflow.id),
  schema: Workflow,
});

const repositories = defineCollection({
  loader: itemsLoader('repositories', () => readCatalogItems('repositories'), (repository) => repository.url),
  schema: Repository.extend({ id: Repository.shape.url }),
});

const images = defineCollection({
  loader: itemsLoader('images', () => readCatalogItems('images'), (image) => image.id),
  schema: Image,
});

// Ids are checked against the crawled workflows' once both are loaded (lib/catalog.ts), with the file's positions.
const curated = defineCollection({
  loader: itemsLoader('curated', () => readCurated(), (entry) => entry.id),
  schema: CuratedWorkflow,
});

export const collections = { facilities, workflows, repositories, images, curated };
