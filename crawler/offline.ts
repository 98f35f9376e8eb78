/**
 * `npm run catalog:offline`: the committed catalog, built without internet by the real crawler.
 *
 * 1. Every folder `<owner>__<name>` of the shared corpus (../shared/corpus, or IDA_CORPUS) is pinned in its
 *    SOURCES.tsv (upstream commit, branch, date) and becomes a local bare repository `<mirrors>/<owner>/<name>`
 *    with one commit on the pinned branch, dated the pinned date (crawler/corpus/mirror.ts).
 * 2. The crawler runs over catalog/sources.yaml with `url.file://<mirrors>/.insteadOf https://github.com/`,
 *    so it clones the mirrors and records the canonical https://github.com/owner/name URLs, and with
 *    --no-api (no forge API offline: stars, default branch, pushed_at, archived and fork are null).
 *    The ESAP-WP5 organisation is listed from the mirror's ESAP-WP5/ folder (see crawler/git/mirror.ts).
 *    Every repository is extracted afresh (force), on a clock set to the newest pin's date, so the same
 *    corpus gives the same catalog byte for byte.
 * 3. The records name the mirrors' commits; crawler/corpus/pin-catalog.ts writes the upstream commit each
 *    mirror stands for in their place (and checks branch and date against the pins), so every link of the
 *    catalog points at a real upstream object.
 *
 * The crawl writes into an empty folder, which then replaces the catalog's data files, previews and media
 * in --out: the offline catalog is the corpus and sources.yaml, nothing of an earlier catalog (a source
 * removed from sources.yaml leaves with its records).
 *
 * Options: --out DIR (default catalog), --config PATH (default catalog/sources.yaml), --keep-mirrors.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { formatSummary } from './cli/crawl.js';
import { type PinnedMirror, buildMirrors } from './corpus/mirror.js';
import { pinCatalog } from './corpus/pin-catalog.js';
import { type CorpusPin, readPins } from './corpus/pins.js';
import { CATALOG_DIRS, CATALOG_FILES } from '../catalog/contract/index.js';
import { publishAll, removeOrphans, writeAtomic } from './crawl/files.js';
import { crawl } from './crawl/run.js';
import { STATE_FILE } from './crawl/state.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The offline crawl's clock: the newest pinned commit's date (what "now" is for a corpus taken then). */
export function corpusClock(pins: CorpusPin[]): Date {
  const newest = Math.max(...pins.map((pin) => Date.parse(pin.committedAt)));
  return new Date(Number.isFinite(newest) ? newest : 0);
}

export type OfflineOptions = { corpus: string; out: string; config: string; keepMirrors?: boolean; log?: (line: string) => void };

/** Mirrors the pinned corpus, crawls it into `out`, and pins the records to upstream. Returns the crawl's exit code and the mirrors it read. */
export async function buildOfflineCatalog(options: OfflineOptions): Promise<{ exitCode: number; mirrored: PinnedMirror[] }> {
  const log = options.log ?? ((line: string) => console.log(line));
  const pins = await readPins(path.join(options.corpus, 'SOURCES.tsv'));
  const mirrors = mkdtempSync(path.join(os.tmpdir(), 'ida-mirrors-'));
  const fresh = mkdtempSync(path.join(os.tmpdir(), 'ida-offline-catalog-'));
  try {
    const mirrored = buildMirrors(options.corpus, pins, mirrors);
    log(`mirrored ${mirrored.length} pinned repositories under ${mirrors}: ${mirrored.map((m) => `${m.pin.fullName}@${m.pin.branch}`).join(', ')}`);
    const clock = corpusClock(pins);
    const result = await crawl({
      config: options.config,
      out: fresh,
      noApi: true,
      force: true,
      now: () => clock,
      git: { rewrites: [{ base: `${pathToFileURL(mirrors).href}/`, insteadOf: 'https://github.com/' }], protocols: ['https', 'file'] },
      progress: 'lines',
      log,
    });
    for (const problem of result.problems) console.error(problem);
    for (const line of formatSummary(result.summaries)) log(line);
    if (result.problems.length > 0) return { exitCode: result.exitCode || 2, mirrored };
    const pinned = await pinCatalog(fresh, mirrored);
    await replaceCatalog(fresh, options.out);
    log(`pinned ${pinned.repositories} repositories and ${pinned.workflows} workflows to their upstream commits (SOURCES.tsv)`);
    return { exitCode: result.exitCode, mirrored };
  } finally {
    if (options.keepMirrors) log(`mirrors kept at ${mirrors}`);
    else rmSync(mirrors, { recursive: true, force: true });
    rmSync(fresh, { recursive: true, force: true });
  }
}

const MEDIA_NAME = /^[0-9a-f]{64}\.(png|jpg)$/;

/** The data files, previews and media of catalog `from` in place of those of `to` (other files of `to` untouched; unchanged files not rewritten). */
export async function replaceCatalog(from: string, to: string): Promise<void> {
  const names = (dir: string) => new Set(existsSync(dir) ? readdirSync(dir) : []);
  const media = names(path.join(from, CATALOG_DIRS.media));
  const previews = names(path.join(from, CATALOG_DIRS.previews));
  // What the new records reference first, the records next, what nothing references any more last.
  await publishAll(path.join(from, CATALOG_DIRS.media), path.join(to, CATALOG_DIRS.media));
  await publishAll(path.join(from, CATALOG_DIRS.previews), path.join(to, CATALOG_DIRS.previews));
  for (const file of [CATALOG_FILES.workflows, CATALOG_FILES.repositories, STATE_FILE]) await writeAtomic(path.join(to, file), await readFile(path.join(from, file)));
  await removeOrphans(path.join(to, CATALOG_DIRS.previews), previews, /\.json$/);
  await removeOrphans(path.join(to, CATALOG_DIRS.media), media, MEDIA_NAME);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: path.join(root, 'catalog') },
      config: { type: 'string', default: path.join(root, 'catalog', 'sources.yaml') },
      'keep-mirrors': { type: 'boolean', default: false },
    },
  });
  const corpus = process.env.IDA_CORPUS ?? path.resolve(root, '..', 'shared', 'corpus');
  if (!existsSync(corpus)) {
    console.error(`catalog:offline: the corpus is not at ${corpus}; set IDA_CORPUS to the folder holding SOURCES.tsv and the <owner>__<name> folders`);
    return 2;
  }
  return (await buildOfflineCatalog({ corpus, out: values.out!, config: values.config!, keepMirrors: values['keep-mirrors'] })).exitCode;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main().catch((error: unknown) => {
    console.error(`catalog:offline: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  });
}
