/**
 * The I/O of `ida-catalog merge`: read each shard's catalog folder (through the contract, as a crawl reads
 * its previous catalog), merge them (merge.ts, pure), and publish the result into the output folder the way
 * a crawl does (publish.ts: atomic, ordered, orphan previews and media removed).
 */
import { copyFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { CATALOG_DIRS } from '../../catalog/contract/index.js';
import type { SourceSummary } from './assemble.js';
import { createStaging, readIfExists, removeLeftovers } from './files.js';
import { mergeParts, type Part } from './merge.js';
import { readPrevious } from './previous.js';
import { publishCatalog, publishImages } from './publish.js';
import { readShardMarker, writeShardMarker } from './shard-file.js';

export type MergeOutcome = {
  /** 0 merged, 2 the parts cannot be merged (nothing written). */
  exitCode: number;
  problems: string[];
  warnings: string[];
  summaries: SourceSummary[];
  counts: { parts: number; repositories: number; workflows: number; previews: number; media: number };
};

async function readPart(dir: string): Promise<Part | { problems: string[] }> {
  const marker = await readShardMarker(dir);
  if ('error' in marker) return { problems: [marker.error] };
  const read = await readPrevious(dir);
  if (read.problems.length > 0) return { problems: read.problems.map((problem) => problem.replace(/so the crawl stopped and wrote nothing: .*$/s, `so the merge stopped and wrote nothing: re-run the shard's crawl into ${dir}`)) };
  return { name: dir, marker, catalog: read.previous, images: read.images };
}

export async function mergeShards(parts: string[], out: string): Promise<MergeOutcome> {
  const counts = { parts: parts.length, repositories: 0, workflows: 0, previews: 0, media: 0 };
  const fail = (problems: string[]): MergeOutcome => ({ exitCode: 2, problems, warnings: [], summaries: [], counts });
  const read = await Promise.all(parts.map((dir) => readPart(dir)));
  const readProblems = read.flatMap((part) => ('problems' in part ? part.problems : []));
  if (readProblems.length > 0) return fail(readProblems);
  const merged = mergeParts(read as Part[]);
  if ('problems' in merged) return fail(merged.problems);
  const { catalog } = merged;

  await mkdir(out, { recursive: true });
  await Promise.all([out, path.join(out, CATALOG_DIRS.previews), path.join(out, CATALOG_DIRS.media)].map(removeLeftovers));
  // The output folder's own records only matter while publishing (old and new together until the swap).
  const before = await readPrevious(out, { force: true });
  const staging = await createStaging(out);
  try {
    const staged = { previews: path.join(staging, CATALOG_DIRS.previews), media: path.join(staging, CATALOG_DIRS.media) };
    await Promise.all([mkdir(staged.previews), mkdir(staged.media)]);
    const problems: string[] = [];
    for (const part of read as Part[]) {
      for (const workflow of part.catalog.workflows) {
        const from = path.join(part.name, CATALOG_DIRS.previews, `${workflow.id}.json`);
        if ((await readIfExists(from)) === null) continue;
        await copyFile(from, path.join(staged.previews, `${workflow.id}.json`));
        counts.previews += 1;
      }
      const media = new Set(Object.values(part.catalog.state.repositories).flatMap((repo) => repo.media));
      for (const workflow of part.catalog.workflows) if (workflow.thumbnail) media.add(path.posix.basename(workflow.thumbnail));
      for (const name of [...media].sort()) {
        const bytes = await readIfExists(path.join(part.name, CATALOG_DIRS.media, name));
        if (bytes === null) continue;
        const target = path.join(staged.media, name);
        const already = await readIfExists(target);
        if (already && !already.equals(bytes)) problems.push(`${path.join(part.name, CATALOG_DIRS.media, name)} differs from the file of the same name in another part (media are named by their SHA-256): re-run that shard's crawl`);
        if (already) continue;
        await copyFile(path.join(part.name, CATALOG_DIRS.media, name), target);
        counts.media += 1;
      }
    }
    if (problems.length > 0) return fail(problems);
    // First: a folder being merged into is never taken for a part (it may have been one).
    await writeShardMarker(out, null);
    await publishCatalog(out, staged, catalog, before.previous.repositories);
    // The images of the shard that harvested them (shard 1); without one, the output's images.json stays.
    const withImages = (read as Part[]).find((part) => part.marker.images);
    if (withImages) await publishImages(out, withImages.images ?? []);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  counts.repositories = catalog.repositories.length;
  counts.workflows = catalog.workflows.length;
  return { exitCode: 0, problems: [], warnings: merged.warnings, summaries: catalog.summaries, counts };
}
