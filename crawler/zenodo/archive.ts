/**
 * A Zenodo record as the archive of one code repository, and what it adds to that repository's records:
 * the DOI and the other sources that named it on every record (provenance), and, where the repository's own
 * files say nothing, the record's authors, licence, keywords and description.
 */
import { z } from 'zod';
import type { Repository, Workflow } from '../../catalog/contract/index.js';
import type { ExtractResult } from '../extract/index.js';

export const ZenodoArchive = z.object({
  /** The Zenodo source (sources.yaml id) that found the record. */
  sourceId: z.string(),
  recordId: z.string(),
  doi: z.string(),
  title: z.string(),
  authors: z.array(z.string()),
  license: z.string().nullable(),
  keywords: z.array(z.string()),
  description: z.string().nullable(),
  /** Canonical https URL of the repository. */
  repository: z.string(),
});
export type ZenodoArchive = z.infer<typeof ZenodoArchive>;

/**
 * The record's facts where extraction found none: authors for workflows without any, the repository's
 * licence, description and authors when its files name none. Keywords and the licence for notebooks reach
 * extraction as topics and the forge licence (visit.ts), so they follow the extractor's own rules.
 */
export function withArchiveFacts(result: ExtractResult, archive: ZenodoArchive | undefined): ExtractResult {
  if (!archive) return result;
  const meta = result.repository;
  return {
    ...result,
    repository: {
      ...meta,
      description: meta.description ?? archive.description,
      license: meta.license ?? archive.license,
      authors: meta.authors.length > 0 ? meta.authors : archive.authors,
      keywords: [...new Set([...meta.keywords, ...archive.keywords])],
    },
    workflows: result.workflows.map((workflow) => (workflow.authors.length > 0 ? workflow : { ...workflow, authors: archive.authors })),
  };
}

/** Where a repository's records come from: its DOI and the other sources that name it, set (or cleared) on each record. */
export function withProvenance(
  records: { repository: Repository | null; workflows: Workflow[] },
  provenance: { archive?: ZenodoArchive; alsoFoundBy?: string[] },
): { repository: Repository | null; workflows: Workflow[] } {
  const doi = provenance.archive?.doi;
  const also = provenance.alsoFoundBy?.length ? [...provenance.alsoFoundBy].sort() : undefined;
  const repository = records.repository ? { ...records.repository, doi, alsoFoundBy: also } : null;
  if (repository && !doi) delete repository.doi;
  if (repository && !also) delete repository.alsoFoundBy;
  const workflows = records.workflows.map((workflow) => {
    const next = { ...workflow, doi };
    if (!doi) delete next.doi;
    return next;
  });
  return { repository, workflows };
}
