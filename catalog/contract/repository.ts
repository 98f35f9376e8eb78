import { z } from 'zod';
import { Doi, Provider, SpdxId, Timestamp, WebUrl, Word } from './common.js';
import { Environment } from './environment.js';

/** One crawled repository: what the forge and the repository's own metadata files say about it. */
export const Repository = z
  .object({
    url: WebUrl.describe('Canonical https URL, the key of the record.'),
    provider: Provider,
    /** `owner/name` for forges that have one, else the URL path. */
    fullName: z.string().min(1).max(300),
    source: z.string().min(1).max(200).describe('Id of the source in sources.yaml that found this repository.'),
    description: z.string().max(2000).nullable(),
    topics: z.array(Word),
    license: SpdxId.nullable(),
    authors: z.array(Word),
    homepage: WebUrl.nullable(),
    /** API-only fields: null when the crawl ran without the forge API. */
    stars: z.number().int().nonnegative().nullable(),
    defaultBranch: z.string().min(1).max(255).nullable(),
    pushedAt: Timestamp.nullable(),
    archived: z.boolean().nullable(),
    fork: z.boolean().nullable(),
    ref: z.string().min(1).max(255),
    commit: z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/),
    committedAt: Timestamp,
    environment: Environment.nullable(),
    notebooks: z.number().int().nonnegative(),
    warnings: z.array(z.string().max(1000)),
    staleSince: Timestamp.optional(),
    /** The DOI of the repository's archived releases (a Zenodo record's concept DOI), when a source found one. */
    doi: Doi.optional(),
    /** Other sources in sources.yaml that name this repository too (sorted); `source` is the one that harvests it. */
    alsoFoundBy: z.array(z.string().min(1).max(200)).min(1).optional(),
  })
  .strict();
export type Repository = z.infer<typeof Repository>;

/**
 * When two URLs name the same repository (two sources in a crawl; an image's source label and a catalogued
 * repository on the site): compared without scheme case, a trailing slash or `.git`,
 * and, on GitHub (whose names are case-insensitive), without letter case.
 */
export function repositoryKey(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  const host = parsed.hostname.toLowerCase();
  const path = parsed.pathname.replace(/\/+$/, '').replace(/\.git$/i, '');
  return `${host}${parsed.port ? `:${parsed.port}` : ''}${host === 'github.com' ? path.toLowerCase() : path}`;
}
