/** A RepoSnapshot from a folder on disk (a corpus repository or a test fixture), as the crawler would hand it over. */
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { RepoFile, RepoSnapshot } from '../../crawler/extract/index.js';

async function walk(dir: string, out: string[] = []): Promise<string[]> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== '.git') await walk(full, out);
    } else if (entry.isFile()) out.push(full);
  }
  return out;
}

export async function snapshotOf(root: string, url: string, extra: Partial<RepoSnapshot> = {}): Promise<RepoSnapshot & { reads: string[] }> {
  const reads: string[] = [];
  const files: RepoFile[] = await Promise.all(
    (await walk(root)).sort().map(async (full) => {
      const relative = path.relative(root, full).split(path.sep).join('/');
      return {
        path: relative,
        size: (await stat(full)).size,
        read: () => {
          reads.push(relative);
          return readFile(full);
        },
      };
    }),
  );
  const fullName = new URL(url).pathname.replace(/^\//, '');
  return {
    repository: { url, provider: 'github', fullName, ref: 'main', commit: 'c'.repeat(40), committedAt: '2024-05-01T12:00:00Z' },
    files,
    reads,
    ...extra,
  };
}

/** Corpus folder name ("owner__name") → canonical GitHub URL. */
export function corpusUrl(folder: string): string {
  return `https://github.com/${folder.replace('__', '/')}`;
}
