/**
 * Reads the site's inputs from disk, checked against the contract. A build with bad input fails with the
 * validator's message (file, line, what is wrong) instead of rendering half a catalog.
 */
import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { CATALOG_DIRS, CATALOG_FILES, MediaPath, NotebookPreview, REQUIRED_CATALOG_FILES, catalogFile, missingCatalogFileAdvice } from '../../catalog/contract/index.js';
import type { Facility } from '../../catalog/contract/index.js';
import { catalogDir, facilitiesPath } from './inputs.js';
import { loadFacilities } from '../../catalog/validate/facilities.js';

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
 * The records of a catalog file as they were read, the envelope not checked beyond being a list of objects: for
 * the build's page workers, which read the very files the content layer checks (readCatalogItems, then each
 * record against the contract), failing the build on any problem, before a page is written.
 */
export async function readCatalogRecords(kind: keyof typeof envelopes): Promise<UncheckedItem[]> {
  const read = await readCatalogJson(kind);
  if (!read) return [];
  const items = (read.json as { items?: unknown } | null)?.items;
  if (!Array.isArray(items) || !items.every((item) => typeof item === 'object' && item !== null && !Array.isArray(item))) {
    throw new Error(`${read.file}: not a list of ${kind} records (run \`npx ida-catalog validate\` for details)`);
  }
  return items as UncheckedItem[];
}

export async function readFacilities(): Promise<Facility[]> {
  const result = await loadFacilities(facilitiesPath);
  if (result.problems.length > 0) {
    const lines = result.problems.map((problem) => problem.text).join('\n');
    throw new Error(`${facilitiesPath} is invalid:\n${lines}\nRun \`npx ida-catalog validate\` for details.`);
  }
  // Copied through JSON, every string internalized: a page built from one two-byte piece is two-byte throughout
  // (slower to write: render/html.ts, oneByte), and facilities are in every page. The YAML parser's strings are
  // slices of the file's text, two-byte when the file has a single non-ASCII character; JSON.parse makes fresh
  // strings, one-byte wherever they can be. And a string that is not internalized turns into a forwarding
  // "thin" string the first time it is a property key (`ACCESS_LABELS[facility.access]`), which V8's optimised
  // code joins with others as if it were two-byte.
  return JSON.parse(JSON.stringify(result.facilities), (_key, value: unknown) => (typeof value === 'string' ? internalized(value) : value)) as Facility[];
}

/** V8's internalized copy of `text` (the one a property key of that name is): never made a thin string later. */
function internalized(text: string): string {
  return Object.keys({ [text]: true })[0]!;
}

/**
 * A workflow's preview file as it is on disk (where, and its text), or null when the crawler wrote none;
 * parsePreview checks it. Synchronous: it runs in the build's page workers, where one small read per page
 * costs far less than the four event-loop round trips of an asynchronous read.
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

export async function readMedia(name: string): Promise<Buffer> {
  return readFile(mediaFile(name));
}
