/**
 * Stage 3 of a crawl, pure: the previous catalog and state plus what this crawl found → the next records,
 * state and per-source summaries. Fresh records replace old ones; what could not be reached keeps its
 * previous records, marked stale; what is gone is left out. No I/O, so every rule is unit-tested.
 */
import type { Repository, Workflow } from '../../catalog/contract/index.js';
import type { ApiCache } from '../github/listing.js';
import { emptyState, sortedState, type CrawlState } from './state.js';
import type { SourceListing } from './target.js';
import type { RepoOutcome } from './visit.js';

export type SourceSummary = {
  id: string;
  status: 'ok' | 'partial' | 'stale';
  repositories: number;
  changed: number;
  unchanged: number;
  removed: number;
  stale: number;
  workflows: number;
  /** Images harvested (Docker Hub sources only). */
  images?: number;
  errors: string[];
  /** Worth knowing, not failures: notebooks left out over a repository's cap. */
  warnings: string[];
};

export type PreviousCatalog = { repositories: Repository[]; workflows: Workflow[]; state: CrawlState };

export type AssembleInput = {
  previous: PreviousCatalog;
  /** One per source crawled this run, in sources order. */
  listings: SourceListing[];
  /** Every repository visited, with the source that claimed it. */
  visited: { url: string; sourceId: string; outcome: RepoOutcome }[];
  /** The API cache the next crawl starts from. */
  api: ApiCache;
  /** This crawl's start (ISO, seconds): the `staleSince` of records that start failing now. */
  startedAt: string;
};

export type AssembledCatalog = {
  /** Sorted by URL. */
  repositories: Repository[];
  /** Sorted by id. */
  workflows: Workflow[];
  state: CrawlState;
  summaries: SourceSummary[];
  /** What makes this catalog unpublishable (duplicate workflow ids); empty when it can be written. */
  problems: string[];
};

function byUrl(a: { url: string }, b: { url: string }): number {
  return a.url < b.url ? -1 : a.url > b.url ? 1 : 0;
}

function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The previous catalog by repository URL: its record and its workflows. */
export function indexPrevious(previous: PreviousCatalog): { repoByUrl: Map<string, Repository>; workflowsByRepo: Map<string, Workflow[]> } {
  const repoByUrl = new Map(previous.repositories.map((repo) => [repo.url, repo]));
  const workflowsByRepo = new Map<string, Workflow[]>();
  for (const workflow of previous.workflows) {
    const list = workflowsByRepo.get(workflow.repository.url) ?? [];
    list.push(workflow);
    workflowsByRepo.set(workflow.repository.url, list);
  }
  return { repoByUrl, workflowsByRepo };
}

export function assembleCatalog(input: AssembleInput): AssembledCatalog {
  const { previous, startedAt } = input;
  const selected = new Set(input.listings.map((listing) => listing.id));
  const failedSources = new Set(input.listings.filter((listing) => listing.failed).map((listing) => listing.id));
  const { repoByUrl, workflowsByRepo } = indexPrevious(previous);
  const state = emptyState();

  // Sources not crawled this run keep everything they had.
  for (const [url, repoState] of Object.entries(previous.state.repositories)) if (!selected.has(repoState.source)) state.repositories[url] = repoState;
  const kept = previous.repositories.filter((repo) => !selected.has(repo.source));
  const repositories: Repository[] = [...kept];
  const workflows: Workflow[] = kept.flatMap((repo) => workflowsByRepo.get(repo.url) ?? []);
  const carry = (url: string) => {
    const failing = previous.state.failingSince[url];
    if (failing) state.failingSince[url] = failing;
    const missing = previous.state.missingSince[url];
    if (missing) state.missingSince[url] = missing;
  };
  for (const repo of kept) carry(repo.url);

  const summaries = new Map<string, SourceSummary>();
  for (const listing of input.listings) {
    summaries.set(listing.id, {
      id: listing.id,
      status: listing.failed ? 'stale' : listing.errors.length > 0 ? 'partial' : 'ok',
      repositories: 0,
      changed: 0,
      unchanged: 0,
      removed: 0,
      stale: 0,
      workflows: 0,
      errors: [...listing.errors],
      warnings: [...(listing.warnings ?? [])],
    });
  }

  /** Previous records kept, stale; what they had in the state too (so their previews and media stay). */
  const keepStale = (url: string, summary: SourceSummary) => {
    const record = repoByUrl.get(url);
    const before = previous.state.repositories[url];
    if (before) state.repositories[url] = before;
    if (!record) return;
    carry(url);
    const since = previous.state.failingSince[url] ?? startedAt;
    state.failingSince[url] = since;
    repositories.push({ ...record, staleSince: since });
    const stale = (workflowsByRepo.get(url) ?? []).map((workflow) => ({ ...workflow, staleSince: since }));
    workflows.push(...stale);
    summary.stale += 1;
    summary.workflows += stale.length;
  };

  /**
   * Removal needs evidence: a repository found missing is kept (stale) the first time, and removed only
   * when the next crawl of its source finds it missing again. Records never made are simply not made.
   */
  const missing = (url: string, summary: SourceSummary, why: string) => {
    if (!repoByUrl.has(url)) return;
    const since = previous.state.missingSince[url];
    if (since) {
      summary.removed += 1;
      summary.errors.push(`${url} ${why}, as it was on the crawl of ${since}: its records are removed`);
      return;
    }
    keepStale(url, summary);
    state.missingSince[url] = startedAt;
    summary.status = summary.status === 'stale' ? 'stale' : 'partial';
    summary.errors.push(`${url} ${why}: its records are kept (stale) and removed if the next crawl finds it missing too`);
  };

  for (const { url, sourceId, outcome } of input.visited) {
    const summary = summaries.get(sourceId)!;
    summary.repositories += 1;
    if (outcome.kind === 'failed') {
      summary.errors.push(`${url}: ${outcome.error}`);
      summary.status = 'partial';
      keepStale(url, summary);
    } else if (outcome.kind === 'removed') {
      missing(url, summary, 'is empty');
    } else {
      state.repositories[url] = outcome.state;
      for (const warning of outcome.warnings ?? []) summary.warnings.push(`${url}: ${warning}`);
      if (outcome.changed) summary.changed += 1;
      else summary.unchanged += 1;
      if (outcome.repository) repositories.push(outcome.repository);
      workflows.push(...outcome.workflows);
      summary.workflows += outcome.workflows.length;
    }
  }
  // Sources that could not be listed keep every record they had.
  for (const id of failedSources) {
    for (const repo of previous.repositories.filter((r) => r.source === id)) keepStale(repo.url, summaries.get(id)!);
    for (const [url, before] of Object.entries(previous.state.repositories)) if (before.source === id) state.repositories[url] ??= before;
  }
  // Repositories a source no longer lists (deleted, renamed, made private, 404) are missing.
  const claimed = new Set([...kept.map((repo) => repo.url), ...input.visited.map((visit) => visit.url)]);
  for (const repo of previous.repositories) {
    const summary = summaries.get(repo.source);
    if (summary && !failedSources.has(repo.source) && !claimed.has(repo.url)) missing(repo.url, summary, `is no longer listed by source ${repo.source}`);
  }

  workflows.sort(byId);
  const sourceOf = new Map(repositories.map((repo) => [repo.url, repo.source]));
  const describe = (w: Workflow) => `${w.repository.url} ${w.path} (source ${sourceOf.get(w.repository.url) ?? 'unknown'})`;
  const problems: string[] = [];
  for (let index = 1; index < workflows.length; index++) {
    const [first, second] = [workflows[index - 1]!, workflows[index]!];
    if (first.id !== second.id) continue;
    // Ids carry 64 bits of hash: a duplicate is a bug or a crafted collision, never chance. Publishing
    // either record would let one notebook's preview stand in for the other's.
    problems.push(
      `duplicate workflow id "${first.id}": ${describe(first)} and ${describe(second)}; the crawl stopped and wrote nothing. Leave one of them out (exclude: in sources.yaml) and report it`,
    );
  }
  state.api = input.api;
  return { repositories: repositories.sort(byUrl), workflows, state: sortedState(state), summaries: [...summaries.values()], problems };
}
