/**
 * A fingerprint of the extraction code: part of every repository's options hash, so a change to the
 * extractor re-extracts unchanged repositories on the next crawl instead of keeping old records forever.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const extractDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'extract');

let cached: Promise<string> | null = null;

async function files(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(
    entries.map((entry) => (entry.isDirectory() ? files(path.join(dir, entry.name)) : Promise.resolve(/\.(ts|js|json)$/.test(entry.name) ? [path.join(dir, entry.name)] : []))),
  );
  return nested.flat().sort();
}

export function extractorFingerprint(): Promise<string> {
  cached ??= (async () => {
    const hash = createHash('sha256');
    for (const file of await files(extractDir)) {
      hash.update(path.relative(extractDir, file)).update('\0').update(await readFile(file)).update('\0');
    }
    return hash.digest('hex').slice(0, 16);
  })();
  return cached;
}
