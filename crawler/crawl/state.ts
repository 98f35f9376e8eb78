/**
 * The crawl state (`catalog/state.json`): what makes the next crawl incremental. Per repository the head
 * commit ls-remote reported and what was harvested from it; per API request the ETag and the page it
 * validated. It holds no per-run timestamps, so an unchanged crawl leaves it byte-identical.
 */
import { z } from 'zod';
import { Timestamp } from '../../catalog/contract/index.js';
import type { ApiCache, ForgeRepo } from '../github/listing.js';
import { ZenodoArchive } from '../zenodo/archive.js';

const ForgeRepoState = z.object({
  fullName: z.string(),
  url: z.string(),
  description: z.string().nullable(),
  topics: z.array(z.string()),
  license: z.string().nullable(),
  stars: z.number().nullable(),
  defaultBranch: z.string().nullable(),
  pushedAt: z.string().nullable(),
  archived: z.boolean(),
  fork: z.boolean(),
  empty: z.boolean(),
});

export const RepositoryState = z.object({
  source: z.string(),
  ref: z.string(),
  commit: z.string(),
  /** Hash of the extraction options the records were made with; a change forces re-extraction. */
  options: z.string(),
  /** When this commit was first harvested. */
  seenAt: Timestamp,
  /** Workflow ids and media files the repository's records reference. */
  workflows: z.array(z.string()),
  media: z.array(z.string()),
  /** Forge fields last seen, reused when the API is unavailable for a while. */
  forge: ForgeRepoState.nullable(),
  /** The Zenodo record that archives it, as last listed: kept while its source cannot be listed. */
  archive: ZenodoArchive.optional(),
  /** Other sources that named it, as last listed. */
  alsoFoundBy: z.array(z.string()).optional(),
});
export type RepositoryState = z.infer<typeof RepositoryState>;

export const CrawlState = z.object({
  stateVersion: z.literal(1),
  /** Conditional-request cache, keyed by request path and query. */
  api: z.record(z.object({ etag: z.string().nullable(), next: z.number().nullable(), repos: z.array(ForgeRepoState) })),
  /** Keyed by canonical repository URL. */
  repositories: z.record(RepositoryState),
  /** Per repository: the time its first failing crawl started (cleared by a good crawl). */
  failingSince: z.record(Timestamp),
  /**
   * Per repository: the crawl that first found it missing (not listed, 404, empty). It is removed only
   * when the next crawl of its source finds it missing again; until then its records are kept, stale.
   */
  missingSince: z.record(Timestamp).default({}),
});
export type CrawlState = z.infer<typeof CrawlState>;

export const STATE_FILE = 'state.json';

export function emptyState(): CrawlState {
  return { stateVersion: 1, api: {}, repositories: {}, failingSince: {}, missingSince: {} };
}

/** Keys sorted at every level, so the file is stable whatever order the crawl finished in. */
export function sortedState(state: CrawlState): CrawlState {
  const sortRecord = <T>(record: Record<string, T>): Record<string, T> =>
    Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return {
    stateVersion: 1,
    api: sortRecord(state.api as ApiCache) as CrawlState['api'],
    repositories: sortRecord(state.repositories),
    failingSince: sortRecord(state.failingSince),
    missingSince: sortRecord(state.missingSince),
  };
}

export type { ForgeRepo };
