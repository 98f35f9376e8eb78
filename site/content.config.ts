/**
 * Astro content layer: the site's data, loaded from the committed inputs and validated by the
 * catalog contract's zod schemas (the same ones the CLI validator and the crawler use).
 */
import { defineCollection } from 'astro:content';
import { Facility, Image, Repository, Workflow } from '../catalog/contract/index.js';
import { readCatalogItems, readFacilities } from './lib/load.js';

const facilities = defineCollection({
  loader: async () => (await readFacilities()).map((facility) => ({ ...facility })),
  schema: Facility,
});

const workflows = defineCollection({
  loader: async () => (await readCatalogItems('workflows')).map((workflow) => ({ ...workflow })),
  schema: Workflow,
});

const repositories = defineCollection({
  loader: async () => (await readCatalogItems('repositories')).map((repository) => ({ ...repository, id: repository.url })),
  schema: Repository.extend({ id: Repository.shape.url }),
});

const images = defineCollection({
  loader: async () => (await readCatalogItems('images')).map((image) => ({ ...image })),
  schema: Image,
});

export const collections = { facilities, workflows, repositories, images };
