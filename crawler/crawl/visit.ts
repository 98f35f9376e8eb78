/**
 * Stage 2 of a crawl: one repository. Unchanged (same head commit, options and forge fields) → its previous
 * records; changed → a partial clone, the selected blobs, extraction, and its previews and media staged.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { DEFAULT_MAX_NOTEBOOKS, NotebookPreview, Repository, Workflow, type RepositorySource } from '../../catalog/contract/index.js';
import { extractRepository, type BudgetOptions, type ExtractOptions, type RepoFile } from '../extract/index.js';
import { classifyTree } from '../extract/select.js';
import type { ForgeRepo } from '../github/listing.js';
import { Checkout, lsRemote, type GitOptions, type RemoteHead } from '../git/remote.js';
import { withArchiveFacts, withProvenance } from '../zenodo/archive.js';
import { stableJson, writeAtomic } from './files.js';
import type { CrawlState, RepositoryState } from './state.js';
import type { Target } from './target.js';

export type RepoOutcome =
  | { kind: 'fresh'; repository: Repository | null; workflows: Workflow[]; state: RepositoryState; changed: boolean; warnings?: string[] }
  | { kind: 'removed' }
  | { kind: 'failed'; error: string };

export type VisitContext = {
  previousState: CrawlState;
  previousRepository: (url: string) => Repository | undefined;
  previousWorkflows: (url: string) => Workflow[];
  /** Re-extract even when unchanged. */
  force: boolean;
  git: GitOptions;
  extract: ExtractOptions & BudgetOptions;
  /** Fingerprint of the extraction code (part of the options hash). */
  extractor: string;
  startedAt: string;
  /** Where new previews and media wait until the catalog files that reference them are written. */
  stagedPreviews: string;
  stagedMedia: string;
  /** Counters of the work done. */
  work: { clones: number; blobsFetched: number };
  log: (line: string) => void;
};

export const MEDIA_NAME = /^[0-9a-f]{64}\.(png|jpg)$/;

function optionsHash(target: Target, extract: ExtractOptions & BudgetOptions, extractor: string): string {
  const { source, archive } = target;
  // The archive's facts feed extraction; only a repository that has one hashes it (the others' hashes stay as they were).
  const relevant = { include: source.include ?? null, exclude: source.exclude ?? null, maxNotebooks: source.maxNotebooks ?? null, extract, extractor, ...(archive ? { archive } : {}) };
  return createHash('sha256').update(JSON.stringify(relevant)).digest('hex').slice(0, 16);
}

/** Media files a workflow and its preview reference (`media/<sha>.<ext>` → `<sha>.<ext>`). */
function mediaOf(workflow: Workflow, preview: NotebookPreview | undefined): string[] {
  const refs = new Set<string>();
  if (workflow.thumbnail) refs.add(path.posix.basename(workflow.thumbnail));
  for (const cell of preview?.cells ?? []) for (const output of cell.outputs) if (output.type === 'image') refs.add(path.posix.basename(output.src));
  return [...refs];
}

export async function visitRepository(target: Target, context: VisitContext): Promise<RepoOutcome> {
  if (target.forge?.empty) return { kind: 'removed' };
  const head = await lsRemote(target.url, target.ref, context.git);
  if (!head) return { kind: 'removed' };
  const hash = optionsHash(target, context.extract, context.extractor);
  const before = context.previousState.repositories[target.url];
  const previousRecord = context.previousRepository(target.url);
  const reusable =
    !context.force &&
    before &&
    before.commit === head.commit &&
    before.options === hash &&
    before.ref === head.ref &&
    sameForgeContent(before.forge, target.forge) &&
    (previousRecord || before.workflows.length === 0);
  if (reusable) {
    const records = withProvenance(
      {
        repository: previousRecord ? withForge({ ...previousRecord, source: target.sourceId }, target.forge) : null,
        workflows: context.previousWorkflows(target.url).map(({ staleSince: _s, ...workflow }) => workflow),
      },
      target,
    );
    return { kind: 'fresh', ...records, state: { ...before, source: target.sourceId, forge: target.forge ?? before.forge, archive: target.archive, alsoFoundBy: target.alsoFoundBy }, changed: false };
  }
  return harvest(target, head, hash, context);
}

async function harvest(target: Target, head: RemoteHead, hash: string, context: VisitContext): Promise<RepoOutcome> {
  const checkout = await Checkout.clone(target.url, head, context.git);
  context.work.clones += 1;
  try {
    const { commit, committedAt } = await checkout.commit();
    const tree = await checkout.tree();
    const byPath = new Map(tree.map((blob) => [blob.path, blob]));
    const extractOptions = { ...context.extract, include: target.source.include, exclude: target.source.exclude };
    // git trees carry no sizes: select by path, fetch the selection in one batch, then sizes are known
    // and extraction applies its size caps.
    const selection = classifyTree(
      tree.map((blob) => ({ path: blob.path, size: 0 })),
      extractOptions,
    );
    const capped = capNotebooks(
      selection.wanted.filter((p) => selection.roles.get(p) === 'notebook'),
      target.source.maxNotebooks ?? DEFAULT_MAX_NOTEBOOKS,
    );
    const warnings = capped.leftOut.length > 0 ? [capWarning(target, capped)] : [];
    const leftOut = new Set(capped.leftOut);
    const wanted = selection.wanted.filter((p) => !leftOut.has(p)).map((p) => byPath.get(p)).filter((blob) => blob !== undefined);
    const fetched = await checkout.prefetch(wanted);
    context.work.blobsFetched += fetched; // not `+= await`: that would read the counter before the await
    const files: RepoFile[] = tree.filter((blob) => !leftOut.has(blob.path)).map((blob) => ({ path: blob.path, size: blob.size ?? 0, read: () => checkout.read(blob) }));
    const { archive } = target;
    const result = withArchiveFacts(
      await extractRepository(
        {
          repository: { url: target.url, provider: target.provider, fullName: target.fullName, ref: head.ref, commit, committedAt },
          files,
          // A Zenodo record's keywords, licence and description rank with the forge's: below the repository's own files.
          topics: archive ? [...(target.forge?.topics ?? []), ...archive.keywords] : target.forge?.topics,
          forgeLicense: target.forge?.license ?? archive?.license ?? null,
          forgeDescription: target.forge?.description ?? archive?.description ?? null,
        },
        extractOptions,
      ),
      archive,
    );
    const workflows: Workflow[] = [];
    const media = new Set<string>();
    for (const candidate of result.workflows) {
      const workflow = Workflow.safeParse(candidate);
      const preview = NotebookPreview.safeParse(result.previews[candidate.id]);
      if (!workflow.success) {
        context.log(`${target.url}: dropped ${candidate.path}: ${workflow.error.issues[0]?.message ?? 'invalid record'}`);
        continue;
      }
      if (preview.success) await writeAtomic(path.join(context.stagedPreviews, `${workflow.data.id}.json`), stableJson(preview.data));
      for (const name of mediaOf(workflow.data, preview.success ? preview.data : undefined)) media.add(name);
      workflows.push(workflow.data);
    }
    for (const [key, bytes] of Object.entries(result.media)) {
      const name = path.posix.basename(key);
      if (MEDIA_NAME.test(name) && media.has(name)) await writeAtomic(path.join(context.stagedMedia, name), bytes);
    }
    const meta = result.repository;
    const candidate: Repository = withForge(
      {
        url: target.url,
        provider: target.provider,
        fullName: target.fullName,
        source: target.sourceId,
        description: meta.description,
        topics: [...new Set([...(target.forge?.topics ?? []), ...meta.keywords])].sort(),
        license: meta.license,
        authors: meta.authors,
        homepage: meta.homepage,
        stars: null,
        defaultBranch: null,
        pushedAt: null,
        archived: null,
        fork: null,
        ref: head.ref,
        commit,
        committedAt,
        environment: meta.environment,
        notebooks: workflows.length,
        warnings: [...warnings, ...meta.warnings, ...result.warnings].slice(0, 50),
      },
      target.forge,
    );
    const parsed = Repository.safeParse(candidate);
    if (!parsed.success) throw new Error(`repository record is invalid: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
    const records = withProvenance({ repository: workflows.length > 0 ? parsed.data : null, workflows }, target);
    const before = context.previousState.repositories[target.url];
    const state: RepositoryState = {
      source: target.sourceId,
      ref: head.ref,
      commit,
      options: hash,
      seenAt: before?.commit === commit ? before.seenAt : context.startedAt,
      workflows: workflows.map((w) => w.id).sort(),
      media: [...media].sort(),
      forge: target.forge,
      archive: target.archive,
      alsoFoundBy: target.alsoFoundBy,
    };
    return { kind: 'fresh', ...records, state, changed: true, warnings };
  } finally {
    await checkout.dispose();
  }
}

/**
 * A repository can flood the catalog: at most `cap` notebooks are taken, the first by path (code-unit
 * order, so the choice is the same on every crawl and machine).
 */
export function capNotebooks(notebooks: string[], cap: number): { kept: number; leftOut: string[] } {
  if (notebooks.length <= cap) return { kept: notebooks.length, leftOut: [] };
  const sorted = [...notebooks].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { kept: cap, leftOut: sorted.slice(cap) };
}

function capWarning(target: Target, capped: { kept: number; leftOut: string[] }): string {
  const shown = capped.leftOut.slice(0, 5).join(', ');
  const more = capped.leftOut.length > 5 ? ` and ${capped.leftOut.length - 5} more` : '';
  return `${capped.kept + capped.leftOut.length} notebooks, over the cap of ${capped.kept} for source ${target.sourceId}: the first ${capped.kept} by path are catalogued, ${capped.leftOut.length} left out (${shown}${more}); raise maxNotebooks in sources.yaml to take more`;
}

/** Whether the forge fields extraction uses (description, topics, licence) are as they were. */
function sameForgeContent(before: ForgeRepo | null, now: ForgeRepo | null): boolean {
  if (!now) return true; // without the API we know nothing new
  if (!before) return false;
  return before.description === now.description && before.license === now.license && before.topics.join(',') === now.topics.join(',');
}

/** The forge's API-only fields on a record; null without the API. */
function withForge(record: Repository, forge: ForgeRepo | null): Repository {
  return {
    ...record,
    description: record.description ?? forge?.description ?? null,
    stars: forge?.stars ?? null,
    defaultBranch: forge?.defaultBranch ?? null,
    pushedAt: forge?.pushedAt ?? null,
    archived: forge ? forge.archived : null,
    fork: forge ? forge.fork : null,
    staleSince: undefined,
  };
}
