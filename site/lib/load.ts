/**
 * Reads the site's inputs from disk, checked against the contract. A build with bad input fails with the
 * validator's message (file, line, what is wrong) instead of rendering half a catalog.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { CATALOG_DIRS, CATALOG_FILES, ImagesFile, MediaPath, NotebookPreview, RepositoriesFile, WorkflowsFile } from '../../catalog/contract/index.js';
import type { Facility } from '../../catalog/contract/index.js';
import { catalogDir, facilitiesPath } from './inputs.js';
import { loadFacilities } from '../../catalog/validate/facilities.js';

const files = {
  workflows: WorkflowsFile,
  repositories: RepositoriesFile,
  images: ImagesFile,
} as const;

type CatalogKind = keyof typeof files;
type ItemsOf<K extends CatalogKind> = z.infer<(typeof files)[K]>['items'];

export async function readCatalogItems<K extends CatalogKind>(kind: K): Promise<ItemsOf<K>> {
  const file = path.join(catalogDir, CATALOG_FILES[kind]);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [] as ItemsOf<K>;
    throw error;
  }
  const parsed = files[kind].safeParse(JSON.parse(text));
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    throw new Error(`${file}: ${first.path.join('.')}: ${first.message} (run \`npx ida-catalog validate\` for every problem)`);
  }
  return parsed.data.items as ItemsOf<K>;
}

export async function readFacilities(): Promise<Facility[]> {
  const result = await loadFacilities(facilitiesPath);
  if (result.problems.length > 0) {
    const lines = result.problems.map((problem) => problem.text).join('\n');
    throw new Error(`${facilitiesPath} is invalid:\n${lines}\nRun \`npx ida-catalog validate\` for details.`);
  }
  return result.facilities;
}

/** A workflow's notebook preview, or null when the crawler wrote none. A broken preview fails the build loudly. */
export async function readPreview(id: string): Promise<NotebookPreview | null> {
  const file = path.join(catalogDir, CATALOG_DIRS.previews, `${id}.json`);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const parsed = NotebookPreview.safeParse(JSON.parse(text));
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    throw new Error(`${file}: ${first.path.join('.')}: ${first.message} (run \`npx ida-catalog validate\` for every problem)`);
  }
  if (parsed.data.id !== id) throw new Error(`${file}: preview id "${parsed.data.id}" does not match its file name`);
  return parsed.data;
}

/** File names in the catalog's media folder that are valid MediaPaths (media/<sha256>.png|jpg). */
export async function listMedia(): Promise<string[]> {
  const names = await readdir(path.join(catalogDir, CATALOG_DIRS.media)).catch(() => [] as string[]);
  return names.filter((name) => MediaPath.safeParse(`${CATALOG_DIRS.media}/${name}`).success).sort();
}

export async function readMedia(name: string): Promise<Buffer> {
  return readFile(path.join(catalogDir, CATALOG_DIRS.media, name));
}
