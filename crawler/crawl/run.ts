/**
 * One crawl: sources → repositories → (unchanged: previous records | changed: clone + extract) → catalog.
 * Output order: media and previews (new names only add), then repositories.json, workflows.json, the
 * state, and last the removal of orphans, each file atomically; killed anywhere, every file stays whole
 * and nothing a catalog file references is missing. The next crawl resumes from the state.
 */
import { createHash } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import pLimit from 'p-limit';
import {
  CATALOG_DIRS,
  CATALOG_FILES,
  NotebookPreview,
  RepositoriesFile,
  Repository,
  SCHEMA_VERSION,
  Workflow,
  type GitSource,
  type Source,
} from '../../catalog/contract/index.js';
import { extractRepository, selectFiles, type ExtractOptions, type RepoFile } from '../extract/index.js';
import { createGitHub, GitHubError, type GitHub, type GitHubClientOptions, type GitHubStats } from '../github/client.js';
import { listGitHubSource, type ApiCache, type ForgeRepo } from '../github/listing.js';
import { listMirrorAccount } from '../git/mirror.js';
import { Checkout, lsRemote, type GitOptions, type RemoteHead } from '../git/remote.js';
import { createStaging, publishAll, readJson, removeLeftovers, removeOrphans, stableJson, writeAtomic } from './files.js';
import { extractorFingerprint } from './fingerprint.js';
import { createProgress } from './progress.js';
import { loadSources } from './sources.js';
import { emptyState, parseState, sortedState, STATE_FILE, type CrawlState, type RepositoryState } from './state.js';

export type CrawlOptions = {
  config: string;
  out: string;
  only?: string[];
  concurrency?: number;
  noApi?: boolean;
  strict?: boolean;
  /** Re-extract every repository even when its head commit is unchanged. */
  force?: boolean;
  token?: string;
  apiUrl?: string;
  git?: GitOptions;
  github?: Omit<GitHubClientOptions, 'token' | 'baseUrl' | 'log'>;
  extract?: ExtractOptions;
  progress?: 'bar' | 'lines' | 'none';
  log?: (line: string) => void;
  now?: () => Date;
};

export type SourceSummary = {
  id: string;
  status: 'ok' | 'partial' | 'stale';
  repositories: number;
  changed: number;
  unchanged: number;
  removed: number;
  stale: number;
  workflows: number;
  errors: string[];
};

export type CrawlResult = {
  exitCode: number;
  summaries: SourceSummary[];
  api: GitHubStats | null;
  /** Clones made and blobs fetched (0 and 0 for a crawl that found nothing new). */
  git: { clones: number; blobsFetched: number };
  problems: string[];
};

/** One repository to visit, as a source names it. */
type Target = { url: string; provider: Repository['provider']; fullName: string; ref: string | null; forge: ForgeRepo | null; sourceId: string; source: Source };

type RepoOutcome =
  | { kind: 'fresh'; repository: Repository | null; workflows: Workflow[]; state: RepositoryState; changed: boolean }
  | { kind: 'removed' }
  | { kind: 'failed'; error: string };

function iso(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function providerOf(url: URL): Repository['provider'] {
  if (url.hostname === 'github.com') return 'github';
  if (url.hostname === 'gitlab.com' || url.hostname.startsWith('gitlab.')) return 'gitlab';
  return 'git';
}

function gitTarget(sourceId: string, source: GitSource): Target {
  const url = new URL(source.git);
  const fullName = url.pathname.replace(/^\/+|\/+$/g, '').replace(/\.git$/, '');
  const canonical = `${url.origin}/${fullName}`;
  return { url: canonical, provider: providerOf(url), fullName, ref: source.ref ?? null, forge: null, sourceId, source };
}

function forgeTarget(sourceId: string, source: Source, forge: ForgeRepo, ref: string | null = forge.defaultBranch): Target {
  return { url: forge.url, provider: 'github', fullName: forge.fullName, ref, forge, sourceId, source };
}

function optionsHash(source: Source, extract: ExtractOptions, extractor: string): string {
  const relevant = { include: source.include ?? null, exclude: source.exclude ?? null, extract, extractor };
  return createHash('sha256').update(JSON.stringify(relevant)).digest('hex').slice(0, 16);
}

const MEDIA_NAME = /^[0-9a-f]{64}\.(png|jpg)$/;

/** Media files a workflow and its preview reference (`media/<sha>.<ext>` → `<sha>.<ext>`). */
function mediaOf(workflow: Workflow, preview: NotebookPreview | undefined): string[] {
  const refs = new Set<string>();
  if (workflow.thumbnail) refs.add(path.posix.basename(workflow.thumbnail));
  for (const cell of preview?.cells ?? []) for (const output of cell.outputs) if (output.type === 'image') refs.add(path.posix.basename(output.src));
  return [...refs];
}

function byUrl(a: { url: string }, b: { url: string }): number {
  return a.url < b.url ? -1 : a.url > b.url ? 1 : 0;
}

function redactor(token: string | undefined): (text: string) => string {
  if (!token) return (text) => text;
  return (text) => text.split(token).join('***');
}

export async function crawl(options: CrawlOptions): Promise<CrawlResult> {
  const out = options.out;
  await mkdir(out, { recursive: true });
  await Promise.all([out, path.join(out, CATALOG_DIRS.previews), path.join(out, CATALOG_DIRS.media)].map(removeLeftovers));
  const staging = await createStaging(out);
  try {
    return await crawlInto(options, staging);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function crawlInto(options: CrawlOptions, staging: string): Promise<CrawlResult> {
  const now = options.now ?? (() => new Date());
  const startedAt = iso(now());
  const redact = redactor(options.token);
  const log = (line: string) => (options.log ?? ((l: string) => console.error(l)))(redact(line));
  const out = options.out;
  const previewsDir = path.join(out, CATALOG_DIRS.previews);
  const mediaDir = path.join(out, CATALOG_DIRS.media);
  const stagedPreviews = path.join(staging, CATALOG_DIRS.previews);
  const stagedMedia = path.join(staging, CATALOG_DIRS.media);

  const loaded = await loadSources(options.config);
  if (loaded.problems.length > 0) return { exitCode: 2, summaries: [], api: null, git: { clones: 0, blobsFetched: 0 }, problems: loaded.problems.map(redact) };
  const unknown = (options.only ?? []).filter((id) => !loaded.sources.some((s) => s.id === id));
  if (unknown.length > 0)
    return { exitCode: 2, summaries: [], api: null, git: { clones: 0, blobsFetched: 0 }, problems: [`unknown source id(s) for --only: ${unknown.join(', ')}; known: ${loaded.sources.map((s) => s.id).join(', ')}`] };
  const selected = loaded.sources.filter((s) => !options.only?.length || options.only.includes(s.id));
  const selectedIds = new Set(selected.map((s) => s.id));

  const previousState = parseState(await readJson(path.join(out, STATE_FILE)).catch(() => null));
  const previousRepos = ((await readJson(path.join(out, CATALOG_FILES.repositories)).catch(() => null)) as { items?: Repository[] } | null)?.items ?? [];
  const previousWorkflows = ((await readJson(path.join(out, CATALOG_FILES.workflows)).catch(() => null)) as { items?: Workflow[] } | null)?.items ?? [];
  const workflowsByRepo = new Map<string, Workflow[]>();
  for (const workflow of previousWorkflows) {
    const list = workflowsByRepo.get(workflow.repository.url) ?? [];
    list.push(workflow);
    workflowsByRepo.set(workflow.repository.url, list);
  }
  const repoByUrl = new Map(previousRepos.map((repo) => [repo.url, repo]));

  const useApi = !options.noApi && selected.some((s) => 'github' in s.source);
  let github: GitHub | null = null;
  if (useApi) {
    if (!options.token) log('warning: GITHUB_TOKEN is not set; the GitHub API allows 60 requests an hour without one');
    github = createGitHub({ ...options.github, token: options.token, baseUrl: options.apiUrl, log });
  }
  const gitOptions = options.git ?? {};
  const extractOptions = options.extract ?? {};
  const extractor = await extractorFingerprint();
  const work = { clones: 0, blobsFetched: 0 };
  const nextApi: ApiCache = {};
  const nextState: CrawlState = { ...emptyState() };

  // Sources not crawled this run keep everything they had.
  for (const [url, repoState] of Object.entries(previousState.repositories)) {
    if (!selectedIds.has(repoState.source)) nextState.repositories[url] = repoState;
  }
  for (const [key, page] of Object.entries(previousState.api)) if (options.only?.length) nextApi[key] = page;
  const keptRepos: Repository[] = previousRepos.filter((repo) => !selectedIds.has(repo.source));
  const keptWorkflows: Workflow[] = keptRepos.flatMap((repo) => workflowsByRepo.get(repo.url) ?? []);
  for (const repo of keptRepos) {
    const since = previousState.failingSince[repo.url];
    if (since) nextState.failingSince[repo.url] = since;
  }

  const summaries = new Map<string, SourceSummary>();
  for (const { id } of selected) summaries.set(id, { id, status: 'ok', repositories: 0, changed: 0, unchanged: 0, removed: 0, stale: 0, workflows: 0, errors: [] });

  // 1. Which repositories each source names.
  const targets: Target[] = [];
  const failedSources = new Set<string>();
  const claimed = new Set<string>(keptRepos.map((repo) => repo.url));
  // Listed in parallel (the API client bounds requests in flight), claimed in sources order.
  const listings = await Promise.all(
    selected.map(({ id, source }) =>
      resolveSource(id, source).then(
        (found) => ({ id, found, error: null as string | null }),
        (error: unknown) => ({ id, found: [] as Target[], error: redact(error instanceof Error ? error.message : String(error)) }),
      ),
    ),
  );
  for (const { id, found, error } of listings) {
    if (error !== null) {
      failedSources.add(id);
      summaries.get(id)!.status = 'stale';
      summaries.get(id)!.errors.push(error);
      continue;
    }
    for (const target of found) {
      if (claimed.has(target.url)) continue; // an earlier source already harvests it
      claimed.add(target.url);
      targets.push(target);
    }
  }

  async function resolveSource(id: string, source: Source): Promise<Target[]> {
    if ('git' in source) return [gitTarget(id, source)];
    const target = source.github;
    if (github) {
      try {
        const repos = await listGitHubSource(github, source, previousState.api, nextApi);
        return repos.map((forge) => forgeTarget(id, source, forge));
      } catch (error) {
        if ('repo' in target && error instanceof GitHubError && error.status === 404) {
          // Deleted or made private: its records go, and the summary says why.
          summaries.get(id)!.errors.push(`${target.repo} not found on GitHub (deleted or private); its records are removed`);
          summaries.get(id)!.status = 'partial';
          return [];
        }
        // A named repository the API cannot serve right now is still readable with git.
        if (!('repo' in target)) throw error;
        log(`${id}: ${error instanceof Error ? error.message : String(error)}; reading it with git alone`);
      }
    }
    if ('repo' in target) {
      const url = `https://github.com/${target.repo}`;
      const known = previousState.repositories[url]?.forge ?? null;
      return [{ url, provider: 'github', fullName: target.repo, ref: null, forge: github ? known : null, sourceId: id, source }];
    }
    const account = 'org' in target ? target.org : 'user' in target ? target.user : null;
    const mirrored = account ? await listMirrorAccount(account, gitOptions.rewrites ?? []) : null;
    if (mirrored) {
      return mirrored.map((name) => ({ url: `https://github.com/${account}/${name}`, provider: 'github' as const, fullName: `${account}/${name}`, ref: null, forge: null, sourceId: id, source }));
    }
    const remembered = Object.entries(previousState.repositories).filter(([, state]) => state.source === id);
    if (remembered.length > 0) {
      log(`${id}: no API; crawling the ${remembered.length} repositories the last crawl found`);
      return remembered.map(([url, state]) => {
        const fullName = new URL(url).pathname.slice(1);
        return { url, provider: 'github' as const, fullName, ref: null, forge: github ? state.forge : null, sourceId: id, source };
      });
    }
    throw new Error(`${id}: listing ${Object.keys(target)[0]} "${Object.values(target)[0]}" needs the GitHub API (it is ${options.noApi ? 'disabled by --no-api' : 'unreachable'}) and no earlier crawl or local mirror lists it`);
  }

  // 2. Each repository: unchanged → previous records; changed → clone and extract.
  const progress = createProgress(options.progress ?? 'none', log);
  progress.add(targets.length);
  const limit = pLimit(Math.max(1, options.concurrency ?? 4));
  const outcomes = await Promise.all(
    targets.map((target) =>
      limit(async () => {
        const outcome = await visit(target).catch((error: unknown): RepoOutcome => ({ kind: 'failed', error: redact(error instanceof Error ? error.message : String(error)) }));
        const what = outcome.kind === 'fresh' ? (outcome.changed ? `updated (${outcome.workflows.length} workflows)` : 'unchanged') : outcome.kind === 'removed' ? 'removed (empty)' : `failed: ${outcome.error}`;
        progress.done(`${target.url} ${what}`);
        return { target, outcome };
      }),
    ),
  );
  progress.stop();

  async function visit(target: Target): Promise<RepoOutcome> {
    if (target.forge?.empty) return { kind: 'removed' };
    const head = await lsRemote(target.url, target.ref, gitOptions);
    if (!head) return { kind: 'removed' };
    const hash = optionsHash(target.source, extractOptions, extractor);
    const before = previousState.repositories[target.url];
    const previousRecord = repoByUrl.get(target.url);
    const reusable =
      !options.force &&
      before &&
      before.commit === head.commit &&
      before.options === hash &&
      before.ref === head.ref &&
      sameForgeContent(before.forge, target.forge) &&
      (previousRecord || before.workflows.length === 0);
    if (reusable) {
      const repository = previousRecord ? withForge({ ...previousRecord, source: target.sourceId }, target.forge) : null;
      const workflows = (workflowsByRepo.get(target.url) ?? []).map(({ staleSince: _s, ...workflow }) => workflow);
      return { kind: 'fresh', repository, workflows, state: { ...before, source: target.sourceId, forge: target.forge ?? before.forge }, changed: false };
    }
    return harvest(target, head, hash);
  }

  async function harvest(target: Target, head: RemoteHead, hash: string): Promise<RepoOutcome> {
    const checkout = await Checkout.clone(target.url, head, gitOptions);
    work.clones += 1;
    try {
      const { commit, committedAt } = await checkout.commit();
      const tree = await checkout.tree();
      const byPath = new Map(tree.map((blob) => [blob.path, blob]));
      const include = target.source.include;
      const exclude = target.source.exclude;
      // git trees carry no sizes: select by path, fetch the selection in one batch, then sizes are known
      // and extraction applies its size caps.
      const selection = selectFiles(
        tree.map((blob) => ({ path: blob.path, size: 0 })),
        { ...extractOptions, include, exclude },
      );
      const wanted = selection.wanted.map((p) => byPath.get(p)).filter((blob) => blob !== undefined);
      const fetched = await checkout.prefetch(wanted);
      work.blobsFetched += fetched; // not `+= await`: that would read the counter before the await
      const files: RepoFile[] = tree.map((blob) => ({ path: blob.path, size: blob.size ?? 0, read: () => checkout.read(blob) }));
      const result = await extractRepository(
        {
          repository: { url: target.url, provider: target.provider, fullName: target.fullName, ref: head.ref, commit, committedAt },
          files,
          topics: target.forge?.topics,
          forgeLicense: target.forge?.license ?? null,
          forgeDescription: target.forge?.description ?? null,
        },
        { ...extractOptions, include, exclude },
      );
      const workflows: Workflow[] = [];
      const media = new Set<string>();
      for (const candidate of result.workflows) {
        const workflow = Workflow.safeParse(candidate);
        const preview = NotebookPreview.safeParse(result.previews[candidate.id]);
        if (!workflow.success) {
          log(`${target.url}: dropped ${candidate.path}: ${workflow.error.issues[0]?.message ?? 'invalid record'}`);
          continue;
        }
        if (preview.success) await writeAtomic(path.join(stagedPreviews, `${workflow.data.id}.json`), stableJson(preview.data));
        for (const name of mediaOf(workflow.data, preview.success ? preview.data : undefined)) media.add(name);
        workflows.push(workflow.data);
      }
      for (const [key, bytes] of Object.entries(result.media)) {
        const name = path.posix.basename(key);
        if (MEDIA_NAME.test(name) && media.has(name)) await writeAtomic(path.join(stagedMedia, name), bytes);
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
          warnings: [...meta.warnings, ...result.warnings].slice(0, 50),
        },
        target.forge,
      );
      const parsed = Repository.safeParse(candidate);
      if (!parsed.success) throw new Error(`repository record is invalid: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
      const repository = workflows.length > 0 ? parsed.data : null;
      const before = previousState.repositories[target.url];
      const state: RepositoryState = {
        source: target.sourceId,
        ref: head.ref,
        commit,
        options: hash,
        seenAt: before?.commit === commit ? before.seenAt : startedAt,
        workflows: workflows.map((w) => w.id).sort(),
        media: [...media].sort(),
        forge: target.forge,
      };
      return { kind: 'fresh', repository, workflows, state, changed: true };
    } finally {
      await checkout.dispose();
    }
  }

  // 3. Assemble: fresh records, previous records (stale) for what could not be reached, nothing for the removed.
  const repositories = [...keptRepos];
  const workflows = [...keptWorkflows];
  const markStale = (url: string): string => {
    const since = previousState.failingSince[url] ?? startedAt;
    nextState.failingSince[url] = since;
    return since;
  };
  const keepStale = (url: string, summary: SourceSummary) => {
    const record = repoByUrl.get(url);
    const before = previousState.repositories[url];
    if (before) nextState.repositories[url] = before;
    if (!record) return;
    const since = markStale(url);
    repositories.push({ ...record, staleSince: since });
    const stale = (workflowsByRepo.get(url) ?? []).map((workflow) => ({ ...workflow, staleSince: since }));
    workflows.push(...stale);
    summary.stale += 1;
    summary.workflows += stale.length;
  };
  for (const { target, outcome } of outcomes) {
    const summary = summaries.get(target.sourceId)!;
    summary.repositories += 1;
    if (outcome.kind === 'failed') {
      summary.errors.push(`${target.url}: ${outcome.error}`);
      summary.status = 'partial';
      keepStale(target.url, summary);
    } else if (outcome.kind === 'removed') {
      summary.removed += repoByUrl.has(target.url) ? 1 : 0;
    } else {
      nextState.repositories[target.url] = outcome.state;
      if (outcome.changed) summary.changed += 1;
      else summary.unchanged += 1;
      if (outcome.repository) repositories.push(outcome.repository);
      workflows.push(...outcome.workflows);
      summary.workflows += outcome.workflows.length;
    }
  }
  // Sources that could not be listed keep every record they had.
  for (const id of failedSources) {
    for (const repo of previousRepos.filter((r) => r.source === id)) keepStale(repo.url, summaries.get(id)!);
    for (const [url, before] of Object.entries(previousState.repositories)) if (before.source === id) nextState.repositories[url] ??= before;
  }
  // Repositories a source no longer lists (deleted, renamed, made private) are gone.
  for (const repo of previousRepos) {
    const summary = summaries.get(repo.source);
    if (summary && !failedSources.has(repo.source) && !claimed.has(repo.url)) summary.removed += 1;
  }

  repositories.sort(byUrl);
  const seenIds = new Set<string>();
  const uniqueWorkflows = workflows
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .filter((workflow) => (seenIds.has(workflow.id) ? false : (seenIds.add(workflow.id), true)));

  // 4. Write. Each step leaves a valid catalog (every reference resolves), so a crawl killed between
  // any two steps, or inside one, leaves a whole catalog; the state comes last, so the next crawl redoes
  // whatever this one did not record.
  const repositoriesPath = path.join(out, CATALOG_FILES.repositories);
  const repositoriesJson = (items: Repository[]) => stableJson(RepositoriesFile.parse({ schemaVersion: SCHEMA_VERSION, kind: 'repositories', items }));
  await publishAll(stagedMedia, mediaDir);
  // Old and new repository records together, until the workflows that need the old ones are gone.
  const finalUrls = new Set(repositories.map((r) => r.url));
  const union = [...repositories, ...previousRepos.filter((r) => !finalUrls.has(r.url))].sort(byUrl);
  await writeAtomic(repositoriesPath, repositoriesJson(union));
  await writeAtomic(path.join(out, CATALOG_FILES.workflows), stableJson({ schemaVersion: SCHEMA_VERSION, kind: 'workflows', items: uniqueWorkflows }));
  await publishAll(stagedPreviews, previewsDir);
  await removeOrphans(previewsDir, new Set(uniqueWorkflows.map((w) => `${w.id}.json`)), /\.json$/);
  await writeAtomic(repositoriesPath, repositoriesJson(repositories));
  nextState.api = nextApi;
  await writeAtomic(path.join(out, STATE_FILE), stableJson(sortedState(nextState)));
  const keepMedia = new Set(Object.values(nextState.repositories).flatMap((s) => s.media));
  for (const workflow of uniqueWorkflows) if (workflow.thumbnail) keepMedia.add(path.posix.basename(workflow.thumbnail));
  await removeOrphans(mediaDir, keepMedia, MEDIA_NAME);

  const list = [...summaries.values()];
  const failed = list.some((s) => s.status !== 'ok');
  return { exitCode: failed && options.strict ? 1 : 0, summaries: list, api: github ? github.stats : null, git: work, problems: [] };
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
