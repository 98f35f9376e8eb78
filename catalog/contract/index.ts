/**
 * The catalog contract: the one place the shapes of facilities, workflows, repositories, images and
 * data sets are defined. The CLI, the crawler and the site all import from here; JSON Schema is generated
 * from these (catalog/schema/, `ida-catalog schema`).
 */
import { catalogFile } from './envelope.js';
import { CuratedWorkflow } from './curated.js';
import { Image } from './image.js';
import { Repository } from './repository.js';
import { Workflow } from './workflow.js';

export * from './common.js';
export * from './host.js';
export * from './web-url.js';
export * from './environment.js';
export * from './facility.js';
export * from './service-base.js';
export * from './curated.js';
export * from './facility-status.js';
export * from './workflow.js';
export * from './repository.js';
export * from './image.js';
export * from './dataset.js';
export * from './preview.js';
export * from './envelope.js';
export * from './api.js';
export * from './esap.js';
export * from './sources.js';
export * from './stager.js';

export const WorkflowsFile = catalogFile('workflows', Workflow);
export const RepositoriesFile = catalogFile('repositories', Repository);
export const ImagesFile = catalogFile('images', Image);
/** /api/curated.json: catalog/curated.yaml's entries in the catalog files' envelope, by title. */
export const CuratedFile = catalogFile('curated', CuratedWorkflow);

/** File names of the catalog data files inside the catalog directory. */
export const CATALOG_FILES = {
  workflows: 'workflows.json',
  repositories: 'repositories.json',
  images: 'images.json',
} as const;

/**
 * The catalog files every catalog has: a missing one is an error (the site build and `validate` stop and say
 * so), never an empty catalog; an empty catalog is an empty list in the file. images.json is written only once
 * container images are harvested, so its absence means none.
 */
export const REQUIRED_CATALOG_FILES: ReadonlyArray<keyof typeof CATALOG_FILES> = ['workflows', 'repositories'];

/** What to do about a missing required catalog file, for the site build's and the validator's messages. */
export function missingCatalogFileAdvice(name: string): string {
  return `the catalog has no ${name}: create the catalog with \`npx ida-catalog crawl\` (or \`npm run catalog:offline\` from the corpus), restore the file from git (\`git checkout -- catalog/${name}\`), or point IDA_CATALOG_DIR (the build) / --catalog (validate) at the folder that holds it; an empty catalog is a file with an empty list, never a missing file`;
}

/** Folders inside the catalog directory: per-workflow previews and content-addressed images. */
export const CATALOG_DIRS = {
  previews: 'previews',
  media: 'media',
} as const;
