/**
 * Catalog file I/O. Every write goes to a temporary file in the same folder, is flushed, and is renamed
 * over the target, so a reader (or a crawl killed at any moment) sees either the old or the new file,
 * never half of one. Unchanged content is not rewritten at all.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, unlink } from 'node:fs/promises';
import path from 'node:path';

const TEMP_MARK = '.ida-tmp-';

/** Stable, pretty JSON with a trailing newline: small, reviewable nightly diffs. */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** A file's bytes, or null when it does not exist (any other error is thrown). */
export async function readIfExists(file: string): Promise<Buffer | null> {
  try {
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Writes `content` to `file` atomically; returns false (and touches nothing) when it is already there. */
export async function writeAtomic(file: string, content: string | Buffer): Promise<boolean> {
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  const current = await readIfExists(file);
  if (current && current.equals(bytes)) return false;
  await mkdir(path.dirname(file), { recursive: true });
  const temp = path.join(path.dirname(file), `${TEMP_MARK}${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}`);
  const handle = await open(temp, 'wx', 0o644);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  return true;
}

/** Removes temporary files a killed crawl left behind. */
export async function removeLeftovers(dir: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  await Promise.all(names.filter((name) => name.startsWith(TEMP_MARK)).map((name) => unlink(path.join(dir, name)).catch(() => {})));
}

export async function readJson(file: string): Promise<unknown | null> {
  const bytes = await readIfExists(file);
  return bytes ? (JSON.parse(bytes.toString('utf8')) as unknown) : null;
}

/** Files in `dir` whose names are not in `keep` and match `pattern`, removed. Returns how many. */
export async function removeOrphans(dir: string, keep: Set<string>, pattern: RegExp): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0;
  }
  const orphans = names.filter((name) => pattern.test(name) && !keep.has(name));
  await Promise.all(orphans.map((name) => unlink(path.join(dir, name))));
  return orphans.length;
}

const STAGING_MARK = '.ida-staging-';

/**
 * A private folder inside the catalog folder (same file system, so renames are atomic) where a crawl
 * puts new previews and media until the catalog files that reference them are written.
 */
export async function createStaging(dir: string): Promise<string> {
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(names.filter((name) => name.startsWith(STAGING_MARK)).map((name) => rm(path.join(dir, name), { recursive: true, force: true })));
  const staging = path.join(dir, `${STAGING_MARK}${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(staging, { recursive: true });
  return staging;
}

/** Moves a staged file over `target` (atomic rename), or drops it when `target` already holds the same bytes. */
export async function publish(staged: string, target: string): Promise<boolean> {
  const [next, current] = await Promise.all([readFile(staged), readIfExists(target)]);
  if (current && current.equals(next)) {
    await unlink(staged);
    return false;
  }
  await mkdir(path.dirname(target), { recursive: true });
  await rename(staged, target);
  return true;
}

/** Publishes every file of `stagedDir` into `targetDir`. */
export async function publishAll(stagedDir: string, targetDir: string): Promise<void> {
  const names = await readdir(stagedDir).catch(() => [] as string[]);
  for (const name of names.sort()) await publish(path.join(stagedDir, name), path.join(targetDir, name));
}
