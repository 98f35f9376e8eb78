/**
 * Rendered notebook previews kept between builds, in Astro's cache folder. A preview is most of a workflow
 * page's rendering time (markdown, sanitiser, highlighter), and from one nightly build to the next almost
 * every notebook is unchanged: a build renders only the previews it has not rendered before.
 *
 * An entry is named by a hash of everything its HTML depends on: the preview file's exact text and the site's
 * base, under a folder for the preview renderer's version (render-workers.mjs: the code a preview's HTML
 * depends on, and the lockfile), so a change to either starts a fresh folder and an entry is never reused by
 * code that would render it differently.
 * Identical notebooks (forks, copies) share one entry. The cache is only ever an optimisation: an entry that
 * cannot be read or written is rendered again, and nothing here can fail a build.
 *
 * Entries live in packs, not a file each: every thread that renders writes one pack (`<name>.pack`, the
 * entries' HTML one after another) and its index (`<name>.index`, a line per entry: key, offset, length),
 * the index line only once the entry is written, so a stopped build leaves nothing half-read. A file per
 * entry was 10,000 files to create in a cold build and to delete when the cache is dropped, and file
 * systems are slow at both (ext4 scans past every recently deleted inode for each new one).
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { writeAll } from './write-all.js';

/** The entries a build used (served or rendered), how many were served from the cache, how many rendered. */
export type PreviewCacheUsage = { used: string[]; hits: number; rendered: number };

/**
 * One thread's view of the cache; a build's worker threads each open it, and the build prunes it once with
 * the entries all of them used (prunePreviewCache).
 */
export type PreviewCache = {
  /** The HTML rendered earlier for this key, or null. */
  get: (key: string) => string | null;
  put: (key: string, html: string) => void;
  usage: () => PreviewCacheUsage;
  /** Lets go of the cache's files (the thread is done with it). */
  close: () => void;
};

/** The entry name for a preview file's text rendered under `base`. */
export function previewKey(base: string, previewText: string): string {
  return createHash('sha256').update(base).update('\0').update(previewText).digest('hex');
}

const PACK = '.pack';
const INDEX = '.index';
/** One index line: an entry's key, its offset in the pack and its length in bytes. */
const INDEX_LINE = /^([0-9a-f]{64}) (\d{1,15}) (\d{1,9})$/;
/** Past this many packs, or this share of dead bytes in them, a prune rewrites the live entries into one pack. */
const MAX_PACKS = 16;
const MAX_DEAD_SHARE = 0.25;

type Entry = { pack: string; offset: number; length: number };
type Listed = { key: string } & Entry;

/** A new pack's name: no other thread, process or build picks the same. */
function packName(): string {
  return `${process.pid}-${threadId}-${randomBytes(6).toString('hex')}`;
}

/** The entries the folder's index files list, by pack name (first listing of a key wins); unreadable indexes list none. */
function readIndexes(folder: string): Map<string, Listed[]> {
  const packs = new Map<string, Listed[]>();
  const seen = new Set<string>();
  for (const name of readdirSync(folder).filter((file) => file.endsWith(INDEX)).sort()) {
    const pack = name.slice(0, -INDEX.length);
    const entries: Listed[] = [];
    let text = '';
    try {
      text = readFileSync(path.join(folder, name), 'latin1');
    } catch {
      // Removed meanwhile: it lists nothing.
    }
    // Only whole lines: the last one may be cut short by a stopped build.
    for (const line of text.slice(0, text.lastIndexOf('\n') + 1).split('\n')) {
      const match = INDEX_LINE.exec(line);
      if (!match || seen.has(match[1]!)) continue;
      seen.add(match[1]!);
      entries.push({ key: match[1]!, pack, offset: Number(match[2]), length: Number(match[3]) });
    }
    packs.set(pack, entries);
  }
  return packs;
}

/** Writes a pack's index whole: aside, then renamed into place, so a reader sees the old index or the new one. */
function writeIndex(folder: string, pack: string, entries: readonly Listed[]): void {
  const file = path.join(folder, pack + INDEX);
  writeFileSync(`${file}.tmp`, entries.map(({ key, offset, length }) => `${key} ${offset} ${length}\n`).join(''));
  renameSync(`${file}.tmp`, file);
}

export function openPreviewCache(root: string, version: string): PreviewCache {
  const folder = path.join(root, version);
  const known = new Map<string, Entry>();
  try {
    mkdirSync(folder, { recursive: true });
    for (const entries of readIndexes(folder).values()) for (const { key, ...entry } of entries) known.set(key, entry);
  } catch {
    // No cache to read: every preview is rendered.
  }
  const used = new Set<string>();
  const stats = { hits: 0, rendered: 0 };
  /** Open packs by name (null: could not be opened). */
  const packs = new Map<string, number | null>();
  /** This thread's own pack, once it has rendered something; null once writing to it failed. */
  let writer: { name: string; pack: number; index: number; packBytes: number; indexBytes: number } | null | undefined;

  const packFd = (name: string): number | null => {
    if (!packs.has(name)) {
      try {
        packs.set(name, openSync(path.join(folder, name + PACK), 'r'));
      } catch {
        // Pruned by a parallel build: its entries are rendered again.
        packs.set(name, null);
      }
    }
    return packs.get(name)!;
  };
  const ownPack = () => {
    if (writer !== undefined) return writer;
    const name = packName();
    try {
      const pack = openSync(path.join(folder, name + PACK), 'wx+');
      packs.set(name, pack);
      writer = { name, pack, index: openSync(path.join(folder, name + INDEX), 'wx'), packBytes: 0, indexBytes: 0 };
    } catch {
      writer = null;
    }
    return writer;
  };

  return {
    get(key) {
      const entry = known.get(key);
      if (!entry) return null;
      const fd = packFd(entry.pack);
      const bytes = Buffer.allocUnsafe(entry.length);
      try {
        if (fd === null || readSync(fd, bytes, 0, entry.length, entry.offset) !== entry.length) throw new Error('cut short');
      } catch {
        known.delete(key);
        return null;
      }
      used.add(key);
      stats.hits += 1;
      return bytes.toString('utf8');
    },
    put(key, html) {
      if (used.has(key)) return;
      used.add(key);
      stats.rendered += 1;
      const own = ownPack();
      if (!own) return;
      // Synchronously: the renderer never yields to the event loop between pages, so callbacks of
      // asynchronous writes would wait for the end of the build, holding every preview in memory.
      try {
        const bytes = Buffer.from(html);
        writeAll(own.pack, bytes, own.packBytes);
        const line = Buffer.from(`${key} ${own.packBytes} ${bytes.length}\n`, 'latin1');
        writeAll(own.index, line, own.indexBytes);
        known.set(key, { pack: own.name, offset: own.packBytes, length: bytes.length });
        own.packBytes += bytes.length;
        own.indexBytes += line.length;
      } catch {
        // A full disk, say: what is written stays readable, nothing more is kept.
        writer = null;
      }
    },
    usage: () => ({ used: [...used], ...stats }),
    close() {
      for (const fd of packs.values()) if (fd !== null) closeSync(fd);
      packs.clear();
      if (writer) closeSync(writer.index);
      writer = null;
    },
  };
}

/** Rewrites the live entries of `packs` into one new pack; returns its name. */
function compact(folder: string, packs: ReadonlyMap<string, readonly Listed[]>): string {
  const name = packName();
  const entries: Listed[] = [];
  const out = openSync(path.join(folder, name + PACK), 'wx');
  try {
    let offset = 0;
    for (const [pack, live] of packs) {
      const fd = openSync(path.join(folder, pack + PACK), 'r');
      try {
        for (const entry of live) {
          const bytes = Buffer.allocUnsafe(entry.length);
          if (readSync(fd, bytes, 0, entry.length, entry.offset) !== entry.length) continue;
          writeAll(out, bytes, offset);
          entries.push({ ...entry, pack: name, offset });
          offset += entry.length;
        }
      } finally {
        closeSync(fd);
      }
    }
  } finally {
    closeSync(out);
  }
  // The index last: until it is in place the new pack lists nothing, and the old ones all their entries.
  writeIndex(folder, name, entries);
  return name;
}

/**
 * After a build that went through every workflow: drops every entry the build did not use (`used`), packs
 * left without a live entry, files that are not a pack with its index, and every other renderer version's
 * folder, so the cache holds one build's previews. Dead entries' bytes stay in their pack until there are too
 * many of them (or too many packs): then the live entries are rewritten into one pack. Returns how many
 * entries it dropped.
 */
export function prunePreviewCache(root: string, version: string, used: ReadonlySet<string>): number {
  const folder = path.join(root, version);
  let dropped = 0;
  try {
    const live = new Map<string, Listed[]>();
    const shrunk = new Set<string>();
    let totalBytes = 0;
    let liveBytes = 0;
    for (const [pack, entries] of readIndexes(folder)) {
      const kept = entries.filter(({ key }) => used.has(key));
      dropped += entries.length - kept.length;
      if (kept.length === 0) continue;
      let size: number;
      try {
        size = statSync(path.join(folder, pack + PACK)).size;
      } catch {
        // An index without its pack lists nothing that can be read.
        continue;
      }
      live.set(pack, kept);
      if (kept.length < entries.length) shrunk.add(pack);
      totalBytes += size;
      liveBytes += kept.reduce((sum, { length }) => sum + length, 0);
    }
    const compacting = live.size > MAX_PACKS || totalBytes - liveBytes > totalBytes * MAX_DEAD_SHARE;
    if (!compacting) for (const pack of shrunk) writeIndex(folder, pack, live.get(pack)!);
    const packs = compacting ? [compact(folder, live)] : [...live.keys()];
    const keep = new Set(packs.flatMap((pack) => [pack + PACK, pack + INDEX]));
    for (const name of readdirSync(folder)) if (!keep.has(name)) rmSync(path.join(folder, name), { recursive: true, force: true });
    for (const name of readdirSync(root)) if (name !== version) rmSync(path.join(root, name), { recursive: true, force: true });
  } catch {
    // Left for the next build to remove.
  }
  return dropped;
}
