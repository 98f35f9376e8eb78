/**
 * Reads the site's inputs from disk, checked against the contract. A build with bad input fails with the
 * validator's message (file, line, what is wrong) instead of rendering half a catalog.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { CATALOG_DIRS, CATALOG_FILES, FACILITY_STATUS_FILE, FacilityStatusFile, MediaPath, NotebookPreview, REQUIRED_CATALOG_FILES, Slug, catalogFile, missingCatalogFileAdvice } from '../../catalog/contract/index.js';
import type { CuratedWorkflow, Facility, FacilityStatus } from '../../catalog/contract/index.js';
import { catalogDir, curatedPath, facilitiesPath } from './inputs.js';
import { loadFacilities } from '../../catalog/validate/facilities.js';
import { loadCurated } from '../../catalog/validate/curated.js';

/** Raw catalog records: the content collection that loads them validates each one with the contract's schema. */
export type UncheckedItem = Record<string, unknown>;

/** Only the envelope is checked here; each item is validated once, by its content collection's schema. */
const envelopes = {
  workflows: catalogFile('workflows', z.record(z.string(), z.unknown())),
  repositories: catalogFile('repositories', z.record(z.string(), z.unknown())),
  images: catalogFile('images', z.record(z.string(), z.unknown())),
} as const;

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: not valid JSON: ${(error as Error).message} (run \`npx ida-catalog validate\` for details)`);
  }
}

/**
 * A catalog file's path and parsed JSON, or null when an optional file (images.json) is absent. A missing
 * required file stops the build with its path and what to do: a build must never publish an empty catalog
 * because a crawl or a checkout lost a file.
 */
async function readCatalogJson(kind: keyof typeof envelopes): Promise<{ file: string; json: unknown } | null> {
  const file = path.join(catalogDir, CATALOG_FILES[kind]);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    if (!REQUIRED_CATALOG_FILES.includes(kind)) return null;
    throw new Error(`${file}: missing; ${missingCatalogFileAdvice(CATALOG_FILES[kind])}.`);
  }
  return { file, json: parseJson(file, text) };
}

export async function readCatalogItems(kind: keyof typeof envelopes): Promise<UncheckedItem[]> {
  const read = await readCatalogJson(kind);
  if (!read) return [];
  const parsed = envelopes[kind].safeParse(read.json);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    throw new Error(`${read.file}: ${first.path.join('.')}: ${first.message} (run \`npx ida-catalog validate\` for every problem)`);
  }
  return parsed.data.items;
}

/**
 * The probe's last check of each facility (catalog/facility-status.json), or none when the probe has not run
 * yet (pages then say "not checked yet"). A broken file stops the build with its problem, like any catalog file.
 */
export async function readFacilityStatuses(): Promise<FacilityStatus[]> {
  const file = path.join(catalogDir, FACILITY_STATUS_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const parsed = FacilityStatusFile.safeParse(parseJson(file, text));
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    throw new Error(`${file}: ${first.path.join('.')}: ${first.message} (run \`npx ida-catalog validate\` for every problem)`);
  }
  return parsed.data.items;
}

export async function readFacilities(): Promise<Facility[]> {
  const result = await loadFacilities(facilitiesPath);
  if (result.problems.length > 0) {
    const lines = result.problems.map((problem) => problem.text).join('\n');
    throw new Error(`${facilitiesPath} is invalid:\n${lines}\nRun \`npx ida-catalog validate\` for details.`);
  }
  return result.facilities;
}

/**
 * The curated workflows (curated.yaml), validated like facilities.yaml; none when the file is absent. With the
 * crawled workflows' ids, an id that is one of them stops the build at its line (the site's pages, search and cart
 * name both kinds by id).
 */
export async function readCurated(workflowIds?: ReadonlySet<string>): Promise<CuratedWorkflow[]> {
  const workflowsFile = path.join(catalogDir, CATALOG_FILES.workflows);
  const result = await loadCurated(curatedPath, { workflowIds, workflowsFile });
  if (result.problems.length > 0) {
    const lines = result.problems.map((problem) => problem.text).join('\n');
    throw new Error(`${curatedPath} is invalid:\n${lines}\nRun \`npx ida-catalog validate\` for details.`);
  }
  return result.curated;
}

/**
 * A workflow's preview file as it is on disk (where, and its text), or null when the crawler wrote none;
 * parsePreview checks it. Synchronous: one small read per page costs far less than the event-loop round trips
 * of an asynchronous one.
 */
export function readPreviewText(id: string): { file: string; text: string } | null {
  const file = path.join(catalogDir, CATALOG_DIRS.previews, `${id}.json`);
  try {
    return { file, text: readFileSync(file, 'utf8') };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** The ids of the catalog's preview files (previews/<id>.json). */
export function previewIds(): string[] {
  let names: string[];
  try {
    names = readdirSync(path.join(catalogDir, CATALOG_DIRS.previews));
  } catch {
    return [];
  }
  return names.filter((name) => name.endsWith('.json')).map((name) => name.slice(0, -'.json'.length)).sort();
}

/** The preview file of workflow `id` checked against the contract; a broken one fails the build, its file named. */
export function parsePreview(id: string, { file, text }: { file: string; text: string }): NotebookPreview {
  const parsed = NotebookPreview.safeParse(parseJson(file, text));
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

/** Where a media file (a name from listMedia) is on disk. */
export function mediaFile(name: string): string {
  return path.join(catalogDir, CATALOG_DIRS.media, name);
}

/**
 * Each workflow's thumbnail that is in the media folder, with the workflow's id: the site serves a copy at
 * workflows/<id>/thumbnail.<ext> (so a search card needs only the id). Records that are not valid are left
 * out: the content layer fails the build on them.
 */
export async function workflowThumbnails(): Promise<Array<{ id: string; ext: 'png' | 'jpg'; file: string }>> {
  const available = new Set(await listMedia());
  return (await readCatalogItems('workflows')).flatMap((workflow) => {
    const id = Slug.safeParse(workflow.id);
    const thumbnail = MediaPath.safeParse(workflow.thumbnail);
    const name = thumbnail.success ? thumbnail.data.slice(`${CATALOG_DIRS.media}/`.length) : '';
    if (!id.success || !available.has(name)) return [];
    return [{ id: id.data, ext: name.endsWith('.png') ? ('png' as const) : ('jpg' as const), file: mediaFile(name) }];
  });
}
