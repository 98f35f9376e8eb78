/**
 * The one mapping between the offline crawl and upstream: the crawler read local mirrors (./mirror.ts), so
 * its records name each mirror's commit; this writes the upstream commit that mirror stands for in their
 * place — in repositories.json, workflows.json and the crawl state. Branch and date need no mapping (the
 * mirror has the pinned branch and date), but are checked: a record that disagrees with its pin is an error,
 * never silently corrected.
 */
import path from 'node:path';
import { CATALOG_FILES, RepositoriesFile, type Repository, type Workflow, WorkflowsFile } from '../../catalog/contract/index.js';
import { readJson, stableJson, writeAtomic } from '../crawl/files.js';
import { CrawlState, STATE_FILE, sortedState } from '../crawl/state.js';
import type { PinnedMirror } from './mirror.js';
import type { CorpusPin } from './pins.js';

export class PinCatalogError extends Error {}

export type PinnedRecords = { repositories: Repository[]; workflows: Workflow[]; state: CrawlState };

/** The canonical URL the crawler records for a pinned GitHub repository. */
export function pinUrl(pin: CorpusPin): string {
  return `https://github.com/${pin.fullName}`;
}

const sameInstant = (a: string, b: string) => Date.parse(a) === Date.parse(b);

/**
 * Records with each mirror commit replaced by its upstream commit. Every record must belong to a pinned
 * repository, name that repository's mirror (or already its upstream) commit, its pinned branch and date;
 * all disagreements are reported together.
 */
export function pinRecords(records: PinnedRecords, mirrors: PinnedMirror[]): PinnedRecords {
  const byUrl = new Map(mirrors.map((mirror) => [pinUrl(mirror.pin), mirror]));
  const problems: string[] = [];
  const upstream = (where: string, url: string, commit: string, ref: string, date: string | null): string => {
    const mirror = byUrl.get(url);
    if (!mirror) {
      problems.push(`${where}: ${url} is not a pinned corpus repository`);
      return commit;
    }
    const { pin, mirrorCommit } = mirror;
    if (commit !== mirrorCommit && commit !== pin.commit) problems.push(`${where}: commit ${commit} is neither the mirror's (${mirrorCommit}) nor the pinned ${pin.commit}`);
    if (ref !== pin.branch) problems.push(`${where}: ref "${ref}" is not the pinned branch "${pin.branch}"`);
    if (date !== null && !sameInstant(date, pin.committedAt)) problems.push(`${where}: date ${date} is not the pinned commit's date ${pin.committedAt}`);
    return pin.commit;
  };

  const repositories = records.repositories.map((repository) => ({
    ...repository,
    commit: upstream(`repository ${repository.url}`, repository.url, repository.commit, repository.ref, repository.committedAt),
  }));
  const workflows = records.workflows.map((workflow) => ({
    ...workflow,
    repository: {
      ...workflow.repository,
      commit: upstream(`workflow ${workflow.id}`, workflow.repository.url, workflow.repository.commit, workflow.repository.ref, workflow.updatedAt),
    },
  }));
  const state: CrawlState = {
    ...records.state,
    repositories: Object.fromEntries(
      Object.entries(records.state.repositories).map(([url, entry]) => [url, { ...entry, commit: upstream(`state of ${url}`, url, entry.commit, entry.ref, null) }]),
    ),
  };
  if (problems.length > 0) throw new PinCatalogError(`${problems.join('\n')}\nThe offline catalog must record exactly what SOURCES.tsv pins; rebuild it with npm run catalog:offline.`);
  return { repositories, workflows, state };
}

/** Rewrites the catalog in `dir` (written by an offline crawl of `mirrors`) to name upstream commits. */
export async function pinCatalog(dir: string, mirrors: PinnedMirror[]): Promise<{ repositories: number; workflows: number }> {
  const files = {
    repositories: path.join(dir, CATALOG_FILES.repositories),
    workflows: path.join(dir, CATALOG_FILES.workflows),
    state: path.join(dir, STATE_FILE),
  };
  const repositoriesFile = RepositoriesFile.parse(await readJson(files.repositories));
  const workflowsFile = WorkflowsFile.parse(await readJson(files.workflows));
  const state = CrawlState.parse(await readJson(files.state));
  const pinned = pinRecords({ repositories: repositoriesFile.items, workflows: workflowsFile.items, state }, mirrors);
  // Workflows first: repositories.json is what a reader lists by, and both name the same commits.
  // Checked against the contract, written as they are (the crawler's key order).
  WorkflowsFile.parse({ ...workflowsFile, items: pinned.workflows });
  RepositoriesFile.parse({ ...repositoriesFile, items: pinned.repositories });
  await writeAtomic(files.workflows, stableJson({ ...workflowsFile, items: pinned.workflows }));
  await writeAtomic(files.repositories, stableJson({ ...repositoriesFile, items: pinned.repositories }));
  await writeAtomic(files.state, stableJson(sortedState(pinned.state)));
  return { repositories: pinned.repositories.length, workflows: pinned.workflows.length };
}
