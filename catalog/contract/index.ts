/**
 * The catalog contract: the one place the shapes of facilities, workflows, repositories, images and
 * data sets are defined. The CLI, the crawler and the site all import from here; JSON Schema is generated
 * from these (catalog/schema/, `ida-catalog schema`).
 */
import { catalogFile } from './envelope.js';
import { Image } from './image.js';
import { Repository } from './repository.js';
import { Workflow } from './workflow.js';

export * from './common.js';
export * from './host.js';
export * from './environment.js';
export * from './facility.js';
export * from './workflow.js';
export * from './repository.js';
export * from './image.js';
export * from './dataset.js';
export * from './preview.js';
export * from './envelope.js';
export * from './api.js';
export * from './esap.js';
export * from './sources.js';

export const WorkflowsFile = catalogFile('workflows', Workflow);
export const RepositoriesFile = catalogFile('repositories', Repository);
export const ImagesFile = catalogFile('images', Image);

/** File names of the catalog data files inside the catalog directory. */
export const CATALOG_FILES = {
  workflows: 'workflows.json',
  repositories: 'repositories.json',
  images: 'images.json',
} as const;

/** Folders inside the catalog directory: per-workflow previews and content-addressed images. */
export const CATALOG_DIRS = {
  previews: 'previews',
  media: 'media',
} as const;
