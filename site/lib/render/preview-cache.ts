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
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { threadId } from 'node:worker_threads';

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
};

/** The entry name for a preview file's text rendered under `base`. */
export function previewKey(base: string, previewText: string): string {
  return createHash('sha256').update(base).update('\0').update(previewText).digest('hex');
}

const ENTRY = /^[0-9a-f]{64}\.html$/;
const entryKey = (name: string) => name.slice(0, -'.html'.length);

export function openPreviewCache(root: string, version: string): PreviewCache {
  const folder = path.join(root, version);
  let known: Set<string>;
  try {
    mkdirSync(folder, { recursive: true });
    known = new Set(readdirSync(folder).filter((name) => ENTRY.test(name)).map(entryKey));
  } catch {
    known = new Set();
  }
  const used = new Set<string>();
  const stats = { hits: 0, rendered: 0 };
  const entry = (key: string) => path.join(folder, `${key}.html`);

  return {
    get(key) {
      if (!known.has(key)) return null;
      try {
        const html = readFileSync(entry(key), 'utf8');
        used.add(key);
        stats.hits += 1;
        return html;
      } catch {
        // Removed meanwhile (a parallel build pruned it): render it again.
        known.delete(key);
        return null;
      }
    },
    put(key, html) {
      if (used.has(key)) return;
      used.add(key);
      stats.rendered += 1;
      // Synchronously: the renderer never yields to the event loop between pages, so callbacks of
      // asynchronous writes would wait for the end of the build, holding every preview in memory.
      // Written aside (a name of this thread's own) and renamed into place, so a reader never sees half an entry.
      const temporary = `${entry(key)}.${process.pid}-${threadId}.tmp`;
      try {
        writeFileSync(temporary, html);
        renameSync(temporary, entry(key));
        known.add(key);
      } catch {
        try {
          rmSync(temporary, { force: true });
        } catch {
          // Nothing was written.
        }
      }
    },
    usage: () => ({ used: [...used], ...stats }),
  };
}

/**
 * After a build that went through every workflow: removes every entry the build did not use (`used`), files a
 * stopped build left half-written, and every other renderer version's folder, so the cache holds one build's
 * previews. Returns how many files it removed.
 */
export function prunePreviewCache(root: string, version: string, used: ReadonlySet<string>): number {
  const folder = path.join(root, version);
  let removed = 0;
  try {
    for (const name of readdirSync(folder)) {
      if (ENTRY.test(name) && used.has(entryKey(name))) continue;
      rmSync(path.join(folder, name), { force: true });
      removed += 1;
    }
    for (const name of readdirSync(root)) if (name !== version) rmSync(path.join(root, name), { recursive: true, force: true });
  } catch {
    // Left for the next build to remove.
  }
  return removed;
}
