/**
 * The nightly diff guard: what to do with what a crawl produced. Nothing changed → nothing; a small
 * change → a commit to main; a change past the configured size → a pull request for a human, never a push.
 * Pure: two catalog snapshots in, a decision with its reasons and per-source counts out.
 */
import type { Repository, Workflow } from '../../catalog/contract/index.js';

export type CatalogSnapshot = {
  workflows: readonly Workflow[];
  repositories: readonly Repository[];
  /** Every catalog file's bytes, by path relative to the catalog folder: "no change" is byte-exact. */
  files: ReadonlyMap<string, string>;
};

export type GuardLimits = {
  /** A pull request when more than this fraction of the workflows disappears (default a quarter). */
  maxRemovedFraction: number;
  /** A pull request when a source that had workflows has none left (default true). */
  sourceGoneEmpty: boolean;
};

export const DEFAULT_LIMITS: GuardLimits = { maxRemovedFraction: 0.25, sourceGoneEmpty: true };

export type SourceChange = { source: string; before: number; after: number; added: number; updated: number; removed: number; stale: number };

export type Decision = {
  action: 'nothing' | 'push' | 'pull-request';
  /** Why, one line each: the rule that chose the action. */
  reasons: string[];
  sources: SourceChange[];
  /** Catalog files (relative paths) added, changed or deleted. */
  changedFiles: string[];
  /** The commit message's first line and body. */
  message: string;
};

/** Source id of each workflow, through its repository record. */
function sourcesOf(snapshot: CatalogSnapshot): Map<string, string> {
  const byUrl = new Map(snapshot.repositories.map((repository) => [repository.url, repository.source]));
  return new Map(snapshot.workflows.map((workflow) => [workflow.id, byUrl.get(workflow.repository.url) ?? '(no repository record)']));
}

function changedFiles(before: CatalogSnapshot, after: CatalogSnapshot): string[] {
  const names = new Set([...before.files.keys(), ...after.files.keys()]);
  return [...names].filter((name) => before.files.get(name) !== after.files.get(name)).sort();
}

function sourceChanges(before: CatalogSnapshot, after: CatalogSnapshot): SourceChange[] {
  const beforeSource = sourcesOf(before);
  const afterSource = sourcesOf(after);
  const oldById = new Map(before.workflows.map((workflow) => [workflow.id, workflow]));
  const newIds = new Set(after.workflows.map((workflow) => workflow.id));
  const sources = new Map<string, SourceChange>();
  const entry = (source: string) => {
    let change = sources.get(source);
    if (!change) sources.set(source, (change = { source, before: 0, after: 0, added: 0, updated: 0, removed: 0, stale: 0 }));
    return change;
  };
  for (const [id, source] of beforeSource) {
    entry(source).before++;
    if (!newIds.has(id)) entry(source).removed++;
  }
  for (const workflow of after.workflows) {
    const change = entry(afterSource.get(workflow.id)!);
    change.after++;
    if (workflow.staleSince) change.stale++;
    const old = oldById.get(workflow.id);
    if (!old) change.added++;
    else if (JSON.stringify(old) !== JSON.stringify(workflow)) change.updated++;
  }
  // Sources whose repositories are listed but hold no workflow still appear, with zeros.
  for (const repository of [...before.repositories, ...after.repositories]) entry(repository.source);
  return [...sources.values()].sort((a, b) => a.source.localeCompare(b.source));
}

function countsLine(change: SourceChange): string {
  return `${change.source}: +${change.added} ~${change.updated} -${change.removed}${change.stale ? `, ${change.stale} stale` : ''} (${change.before} → ${change.after})`;
}

export function decide(before: CatalogSnapshot, after: CatalogSnapshot, limits: GuardLimits = DEFAULT_LIMITS, date = new Date()): Decision {
  const files = changedFiles(before, after);
  const sources = sourceChanges(before, after);
  const day = date.toISOString().slice(0, 10);
  const touched = sources.filter((change) => change.added + change.updated + change.removed + change.stale > 0);
  const message = [`catalog: nightly crawl ${day}`, '', ...(touched.length ? touched : sources).map(countsLine), ''].join('\n');
  if (files.length === 0) return { action: 'nothing', reasons: ['no catalog file changed'], sources, changedFiles: files, message };

  const reasons: string[] = [];
  const removed = sources.reduce((sum, change) => sum + change.removed, 0);
  if (before.workflows.length > 0 && removed / before.workflows.length > limits.maxRemovedFraction) {
    reasons.push(`${removed} of ${before.workflows.length} workflows removed (${Math.round((100 * removed) / before.workflows.length)}%), more than the ${Math.round(limits.maxRemovedFraction * 100)}% a nightly may remove on its own`);
  }
  if (limits.sourceGoneEmpty) {
    for (const change of sources) if (change.before > 0 && change.after === 0) reasons.push(`source ${change.source} had ${change.before} workflows and now has none`);
  }
  if (reasons.length > 0) return { action: 'pull-request', reasons, sources, changedFiles: files, message };
  return {
    action: 'push',
    reasons: [`${files.length} catalog files changed within the limits (${removed} workflows removed; no source emptied)`],
    sources,
    changedFiles: files,
    message,
  };
}

/** The decision as the job summary's markdown: the action, why, and a per-source table. */
export function decisionMarkdown(decision: Decision, extra: string[] = []): string {
  const verb = { nothing: 'Nothing to commit', push: 'Committed to main', 'pull-request': 'Opened a pull request for review' }[decision.action];
  const lines = [`## Nightly crawl: ${verb}`, '', ...decision.reasons.map((reason) => `- ${reason}`), '', '| source | before | after | added | updated | removed | stale |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: |'];
  for (const c of decision.sources) lines.push(`| ${c.source} | ${c.before} | ${c.after} | ${c.added} | ${c.updated} | ${c.removed} | ${c.stale} |`);
  return [...lines, '', ...extra].join('\n');
}
