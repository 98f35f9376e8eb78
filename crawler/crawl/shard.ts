/**
 * Crawling past one runner, pure: `crawl --shard I/N` visits only the repositories whose canonical URL
 * hashes to shard I of N. Every shard lists every source and claims repositories in sources order, exactly
 * as a single crawl does, and only then keeps its own; so adding a source (or a repository) moves nothing
 * but the new repositories, and a repository two sources name is claimed by the same source in every shard.
 *
 * Everything a crawl assembles is per repository (records, previews, media, the state's entries) except the
 * API cache and the per-source summaries, so shard I's catalog is the single crawl's catalog restricted to
 * shard I's repositories, and `ida-catalog merge` is a union (crawl/merge.ts).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { Timestamp, type Source } from '../../catalog/contract/index.js';
import type { PreviousCatalog, SourceSummary } from './assemble.js';
import type { CrawlState } from './state.js';

/** Shard `index` (1-based) of `count`. */
export type Shard = { index: number; count: number };

export const MAX_SHARDS = 256;

/** `I/N` → the shard, or what is wrong with the text. */
export function parseShard(text: string): Shard | { error: string } {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!match) return { error: `--shard wants I/N (shard I of N, counted from 1), e.g. 1/4; got "${text}"` };
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || count > MAX_SHARDS) return { error: `--shard ${text}: N must be from 1 to ${MAX_SHARDS}` };
  if (index < 1 || index > count) return { error: `--shard ${text}: I must be from 1 to N (${count})` };
  return { index, count };
}

export function formatShard(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}

/**
 * The shard (1-based) a repository belongs to: the first 48 bits of SHA-256 of its canonical URL, modulo
 * N. A hash of the URL alone, so it depends on nothing else the crawl sees (source order, listing order).
 */
export function shardOf(url: string, count: number): number {
  const digest = createHash('sha256').update(url).digest();
  return (digest.readUIntBE(0, 6) % count) + 1;
}

export function inShard(url: string, shard: Shard): boolean {
  return shard.count === 1 || shardOf(url, shard.count) === shard.index;
}

function pick<T>(record: Record<string, T>, keep: (key: string) => boolean): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => keep(key)));
}

/**
 * The part of a catalog that belongs to `shard`: its repositories, their workflows and state entries. The
 * API cache is kept whole (every shard lists every source).
 */
export function sliceCatalog(catalog: PreviousCatalog, shard: Shard): PreviousCatalog {
  const mine = (url: string) => inShard(url, shard);
  const state: CrawlState = {
    ...catalog.state,
    repositories: pick(catalog.state.repositories, mine),
    failingSince: pick(catalog.state.failingSince, mine),
    missingSince: pick(catalog.state.missingSince, mine),
  };
  return {
    repositories: catalog.repositories.filter((repo) => mine(repo.url)),
    workflows: catalog.workflows.filter((workflow) => mine(workflow.repository.url)),
    state,
  };
}

/** Identifies a sources configuration: parts crawled from different ones cannot be merged. */
export function sourcesFingerprint(sources: { id: string; source: Source }[]): string {
  return createHash('sha256').update(JSON.stringify(sources)).digest('hex').slice(0, 16);
}

export const SHARD_FILE = 'shard.json';

const SourceSummarySchema: z.ZodType<SourceSummary> = z.object({
  id: z.string(),
  status: z.enum(['ok', 'partial', 'stale']),
  repositories: z.number().int().nonnegative(),
  changed: z.number().int().nonnegative(),
  unchanged: z.number().int().nonnegative(),
  removed: z.number().int().nonnegative(),
  stale: z.number().int().nonnegative(),
  workflows: z.number().int().nonnegative(),
  errors: z.array(z.string()),
  warnings: z.array(z.string()),
});

/**
 * `shard.json`, written last by `crawl --shard I/N` into its catalog folder: which part it is, of which
 * sources, and its per-source summaries (merge adds them up). A plain crawl removes it; so does merge.
 */
export const ShardMarker = z.object({
  shardVersion: z.literal(1),
  index: z.number().int().positive(),
  count: z.number().int().positive().max(MAX_SHARDS),
  /** sourcesFingerprint of every source in the sources file. */
  sources: z.string(),
  /** The --only source ids, sorted (empty: every source). */
  only: z.array(z.string()),
  startedAt: Timestamp,
  summaries: z.array(SourceSummarySchema),
  /** This shard harvested the Docker Hub sources (shard 1 does): its images.json is the merged catalog's. */
  images: z.literal(true).optional(),
});
export type ShardMarker = z.infer<typeof ShardMarker>;
