/**
 * Astro content layer: the site's data, loaded from the committed inputs and validated by the
 * catalog contract's zod schemas (the same ones the CLI validator and the crawler use): the loaders check
 * each file's envelope, the collection schema checks every record, once.
 */
import { defineCollection } from 'astro:content';
import { Facility, Image, Repository, Workflow } from '../catalog/contract/index.js';
import { readCatalogItems, readFacilities } from './lib/load.js';

const facilities = defineCollection({
  loader: async () => (await readFacilities()).map((facility) => ({ ...facility })),
  schema: Facility,
});

const workflows = defineCollection({
  loader: async () => (await readCatalogItems('workflows')).map((workflow) => ({ ...workflow, id: String(workflow.id) })),
  schema: Workflow,
});

const repositories = defineCollection({
  loader: async () => (await readCatalogItems('repositories')).map((repository) => ({ ...repository, id: String(repository.url) })),
  schema: Repository.extend({ id: Repository.shape.url }),
});

const images = defineCollection({
  loader: async () => (await readCatalogItems('images')).map((image) => ({ ...image, id: String(image.id) })),
  schema: Image,
});

export const collections = { facilities, workflows, repositories, images };
