/**
 * `ida-catalog merge`, pure: the catalogs of shards 1..N of one crawl → the catalog a single crawl writes.
 * Each shard assembled its own repositories with assembleCatalog (claims, stale and removal rules, state),
 * so merging is a union; what is checked here is that the parts really are the N disjoint shards of one
 * sources configuration. Listing pages two shards fetched differently (the source changed between their
 * listings) are left out of the API cache, so the next crawl lists that source afresh.
 */
import type { Image, Repository, Workflow } from '../../catalog/contract/index.js';
import type { ApiCache } from '../github/listing.js';
import type { AssembledCatalog, PreviousCatalog, SourceSummary } from './assemble.js';
import { formatShard, inShard, shardOf, type ShardMarker } from './shard.js';
import { emptyState, sortedState } from './state.js';

export type Part = {
  name: string;
  marker: ShardMarker;
  catalog: PreviousCatalog;
  /** The part's images.json records: the merged catalog's when its marker says it harvested them. */
  images?: Image[];
};

export type MergeResult = { catalog: AssembledCatalog; warnings: string[] } | { problems: string[] };

function byUrl(a: { url: string }, b: { url: string }): number {
  return a.url < b.url ? -1 : a.url > b.url ? 1 : 0;
}

function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

const SEVERITY: Record<SourceSummary['status'], number> = { ok: 0, partial: 1, stale: 2 };

/** Problems that make the parts unmergeable: mixed configurations, overlapping or missing shards. */
export function checkParts(parts: Part[]): string[] {
  if (parts.length === 0) return ['no parts to merge: pass the catalog folder of every shard'];
  const [first] = parts as [Part, ...Part[]];
  const problems: string[] = [];
  const describe = (part: Part) => `${part.name} (shard ${formatShard(part.marker)}, sources ${part.marker.sources}${part.marker.only.length ? `, --only ${part.marker.only.join(',')}` : ''})`;
  for (const part of parts.slice(1)) {
    const same = part.marker.count === first.marker.count && part.marker.sources === first.marker.sources && part.marker.only.join('\n') === first.marker.only.join('\n');
    if (!same) problems.push(`${describe(part)} is not a shard of the same crawl as ${describe(first)}: crawl every shard with the same sources file, --only and N`);
  }
  if (problems.length > 0) return problems;
  const byIndex = new Map<number, Part>();
  for (const part of parts) {
    const other = byIndex.get(part.marker.index);
    if (other) problems.push(`${other.name} and ${part.name} are both shard ${formatShard(part.marker)}: pass each shard once`);
    else byIndex.set(part.marker.index, part);
  }
  const missing = Array.from({ length: first.marker.count }, (_, i) => i + 1).filter((index) => !byIndex.has(index));
  if (missing.length > 0) problems.push(`shard${missing.length > 1 ? 's' : ''} ${missing.map((index) => `${index}/${first.marker.count}`).join(', ')} missing: a merge needs all ${first.marker.count} parts, or it would drop their repositories`);
  // A part holding another shard's repositories is not the output of `crawl --shard` (or was edited).
  for (const part of parts) {
    const urls = [
      ...part.catalog.repositories.map((repo) => repo.url),
      ...part.catalog.workflows.map((workflow) => workflow.repository.url),
      ...Object.keys(part.catalog.state.repositories),
    ];
    const stray = urls.find((url) => !inShard(url, part.marker));
    if (stray) problems.push(`${part.name} holds ${stray}, which belongs to shard ${shardOf(stray, part.marker.count)}/${part.marker.count}, not ${formatShard(part.marker)}: re-run \`crawl --shard ${formatShard(part.marker)}\` into it`);
  }
  return problems;
}

/** Per source: counts added up, the worst status, each error and warning once (listing errors appear in every shard). */
export function mergeSummaries(lists: SourceSummary[][]): SourceSummary[] {
  const merged = new Map<string, SourceSummary>();
  for (const list of lists) {
    for (const summary of list) {
      const into = merged.get(summary.id);
      if (!into) {
        merged.set(summary.id, { ...summary, errors: [...new Set(summary.errors)], warnings: [...new Set(summary.warnings)] });
        continue;
      }
      if (SEVERITY[summary.status] > SEVERITY[into.status]) into.status = summary.status;
      for (const key of ['repositories', 'changed', 'unchanged', 'removed', 'stale', 'workflows'] as const) into[key] += summary[key];
      for (const error of summary.errors) if (!into.errors.includes(error)) into.errors.push(error);
      for (const warning of summary.warnings) if (!into.warnings.includes(warning)) into.warnings.push(warning);
    }
  }
  return [...merged.values()];
}

export function mergeParts(parts: Part[]): MergeResult {
  const problems = checkParts(parts);
  if (problems.length > 0) return { problems };
  const ordered = [...parts].sort((a, b) => a.marker.index - b.marker.index);
  const state = emptyState();
  const repositories: Repository[] = [];
  const workflows: Workflow[] = [];
  const api: ApiCache = {};
  const conflicting = new Set<string>();
  for (const { catalog } of ordered) {
    repositories.push(...catalog.repositories);
    workflows.push(...catalog.workflows);
    Object.assign(state.repositories, catalog.state.repositories);
    Object.assign(state.failingSince, catalog.state.failingSince);
    Object.assign(state.missingSince, catalog.state.missingSince);
    for (const [key, entry] of Object.entries(catalog.state.api)) {
      if (!(key in api)) api[key] = entry;
      else if (JSON.stringify(api[key]) !== JSON.stringify(entry)) conflicting.add(key);
    }
  }
  for (const key of conflicting) delete api[key];
  state.api = api;
  // As in a single crawl (assembleCatalog), a duplicate id stops everything; each shard checked its own.
  workflows.sort(byId);
  for (let index = 1; index < workflows.length; index += 1) {
    const [first, second] = [workflows[index - 1]!, workflows[index]!];
    if (first.id === second.id) {
      problems.push(`duplicate workflow id "${first.id}": ${first.repository.url} ${first.path} and ${second.repository.url} ${second.path}; the merge stopped and wrote nothing. Leave one of them out (exclude: in sources.yaml) and report it`);
    }
  }
  if (problems.length > 0) return { problems };
  const warnings = [...conflicting].sort().map((key) => `API listing ${key} differed between shards (the source changed while they ran): left out of the cache, so the next crawl lists it afresh`);
  return {
    catalog: {
      repositories: repositories.sort(byUrl),
      workflows,
      state: sortedState(state),
      summaries: mergeSummaries(ordered.map((part) => part.marker.summaries)),
      problems: [],
    },
    warnings,
  };
}
