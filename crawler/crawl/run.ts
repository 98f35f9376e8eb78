/**
 * One crawl, in four stages: resolve the sources into repositories (target.ts), visit each repository
 * (visit.ts: unchanged → previous records, changed → clone and extract), assemble the next catalog from
 * the outcomes and the previous one (assemble.ts, pure), publish it (publish.ts: atomic, ordered so a
 * crawl killed anywhere leaves a whole catalog). The next crawl resumes from the state.
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import pLimit from 'p-limit';
import { CATALOG_DIRS, isRepositorySource, type DockerHubSource, type RepositorySource } from '../../catalog/contract/index.js';
import { assembleImages } from '../dockerhub/assemble.js';
import { harvestImages, type DockerHubOptions, type ImageHarvest } from '../dockerhub/harvest.js';
import type { BudgetOptions, ExtractOptions } from '../extract/index.js';
import { createGitHub, type GitHub, type GitHubClientOptions, type GitHubStats } from '../github/client.js';
import type { ApiCache } from '../github/listing.js';
import type { GitOptions } from '../git/remote.js';
import type { PoliteStats } from '../http/polite.js';
import { createZenodo, type Zenodo, type ZenodoClientOptions } from '../zenodo/client.js';
import { assembleCatalog, indexPrevious, type SourceSummary } from './assemble.js';
import { createStaging, removeLeftovers } from './files.js';
import { extractorFingerprint } from './fingerprint.js';
import { readPrevious } from './previous.js';
import { createProgress } from './progress.js';
import { sortedState } from './state.js';
import { publishCatalog, publishImages } from './publish.js';
import { loadSources } from './sources.js';
import { inShard, sliceCatalog, sourcesFingerprint, type Shard } from './shard.js';
import { writeShardMarker } from './shard-file.js';
import { resolveTargets } from './target.js';
import { visitRepository, type RepoOutcome } from './visit.js';

export type { SourceSummary };

export type CrawlOptions = {
  config: string;
  out: string;
  only?: string[];
  concurrency?: number;
  noApi?: boolean;
  strict?: boolean;
  /**
   * Re-extract every repository even when its head commit is unchanged, and set aside previous catalog
   * files that do not parse or validate (without it, such a file stops the crawl).
   */
  force?: boolean;
  /**
   * Crawl only the repositories of this shard (shard.ts); the catalog folder then holds that shard's part
   * of the catalog and a shard.json, for `ida-catalog merge`.
   */
  shard?: Shard;
  token?: string;
  apiUrl?: string;
  git?: GitOptions;
  github?: Omit<GitHubClientOptions, 'token' | 'baseUrl' | 'log'>;
  /** Docker Hub, its registry and token service (base URLs, politeness); `noApi` skips Docker Hub too. */
  dockerhub?: DockerHubOptions;
  /** ZENODO_API_URL: the Zenodo API root (default https://zenodo.org/api); tests point it at a loopback server. */
  zenodoApiUrl?: string;
  zenodo?: Omit<ZenodoClientOptions, 'baseUrl' | 'log'>;
  extract?: ExtractOptions & BudgetOptions;
  progress?: 'bar' | 'lines' | 'none';
  log?: (line: string) => void;
  now?: () => Date;
};

export type CrawlResult = {
  exitCode: number;
  summaries: SourceSummary[];
  api: GitHubStats | null;
  /** Docker Hub and registry requests; null when no dockerhub source was crawled. */
  dockerhub: PoliteStats | null;
  /** Clones made and blobs fetched (0 and 0 for a crawl that found nothing new). */
  git: { clones: number; blobsFetched: number };
  problems: string[];
};

function iso(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function redactor(token: string | undefined): (text: string) => string {
  if (!token) return (text) => text;
  return (text) => text.split(token).join('***');
}

function stopped(exitCode: number, problems: string[]): CrawlResult {
  return { exitCode, summaries: [], api: null, dockerhub: null, git: { clones: 0, blobsFetched: 0 }, problems };
}

export async function crawl(options: CrawlOptions): Promise<CrawlResult> {
  const now = options.now ?? (() => new Date());
  const startedAt = iso(now());
  const redact = redactor(options.token);
  const log = (line: string) => (options.log ?? ((l: string) => console.error(l)))(redact(line));
  const out = options.out;
  // A shard's folder is a part only once this crawl finishes: a stale marker must not outlive a failed run.
  if (options.shard) await writeShardMarker(out, null);

  const loaded = await loadSources(options.config);
  if (loaded.problems.length > 0) return stopped(2, loaded.problems.map(redact));
  const unknown = (options.only ?? []).filter((id) => !loaded.sources.some((s) => s.id === id));
  if (unknown.length > 0) return stopped(2, [`unknown source id(s) for --only: ${unknown.join(', ')}; known: ${loaded.sources.map((s) => s.id).join(', ')}`]);
  const chosen = loaded.sources.filter((s) => !options.only?.length || options.only.includes(s.id));
  const selected = chosen.filter((s): s is { id: string; source: RepositorySource } => isRepositorySource(s.source));
  const imageSources = chosen.filter((s): s is { id: string; source: DockerHubSource } => 'dockerhub' in s.source);
  const selectedIds = new Set(selected.map((s) => s.id));

  // The previous catalog is read before anything is written: an unreadable one stops the crawl here.
  const read = await readPrevious(out, { force: options.force });
  if (read.problems.length > 0) return stopped(2, read.problems.map(redact));
  for (const file of read.ignored) log(`warning: ${file} is not valid; --force rebuilds it from scratch`);
  const previous = read.previous;
  // A shard assembles and publishes only its own repositories; listing and claiming still see everything.
  const part = options.shard ? sliceCatalog(previous, options.shard) : previous;
  await mkdir(out, { recursive: true });
  await Promise.all([out, path.join(out, CATALOG_DIRS.previews), path.join(out, CATALOG_DIRS.media)].map(removeLeftovers));

  const useApi = !options.noApi && selected.some((s) => 'github' in s.source);
  let github: GitHub | null = null;
  if (useApi) {
    if (!options.token) log('warning: GITHUB_TOKEN is not set; the GitHub API allows 60 requests an hour without one');
    github = createGitHub({ ...options.github, token: options.token, baseUrl: options.apiUrl, log });
  }
  // Zenodo is an API too: --no-api leaves it alone (its sources then keep the records they had).
  const zenodo: Zenodo | null =
    !options.noApi && selected.some((s) => 'zenodo' in s.source) ? createZenodo({ ...options.zenodo, baseUrl: options.zenodoApiUrl, log }) : null;
  const staging = await createStaging(out);
  try {
    const staged = { previews: path.join(staging, CATALOG_DIRS.previews), media: path.join(staging, CATALOG_DIRS.media) };
    // 1. Which repositories each source names.
    const nextApi: ApiCache = {};
    if (options.only?.length) Object.assign(nextApi, previous.state.api);
    const resolved = await resolveTargets(selected, {
      github,
      zenodo,
      noApi: options.noApi ?? false,
      rewrites: options.git?.rewrites ?? [],
      previousState: previous.state,
      nextApi,
      keptUrls: previous.repositories.filter((repo) => !selectedIds.has(repo.source)).map((repo) => repo.url),
      notCrawled: loaded.sources.filter((s) => !selectedIds.has(s.id)).map((s) => s.id),
      log,
      redact,
    });
    const { listings } = resolved;
    const shard = options.shard;
    const targets = shard ? resolved.targets.filter((target) => inShard(target.url, shard)) : resolved.targets;

    // Images (Docker Hub) are harvested alongside; they touch no repository. images.json is one small file, not
    // split by repository: of a sharded crawl, shard 1 harvests them and `merge` takes its images.json.
    const crawlImages = imageSources.length > 0 && (!options.shard || options.shard.index === 1);
    const images: Promise<ImageHarvest | null> = !crawlImages
      ? Promise.resolve(null)
      : options.noApi
        ? Promise.resolve({ listings: imageSources.map(({ id }) => ({ id, failed: true, errors: ['Docker Hub is an API: not read with --no-api; previous records kept'] })), visited: [], stats: { requests: 0, rateLimitWaits: 0, retries: 0 } })
        : harvestImages(imageSources, read.images, { ...options.dockerhub, log, redact }).catch((error: unknown) => ({
            // A misconfiguration (a bad base URL) fails the image sources, never the repositories' crawl.
            listings: imageSources.map(({ id }) => ({ id, failed: true, errors: [redact(error instanceof Error ? error.message : String(error))] })),
            visited: [],
            stats: { requests: 0, rateLimitWaits: 0, retries: 0 },
          }));

    // 2. Each repository: unchanged → previous records; changed → clone and extract.
    const { repoByUrl, workflowsByRepo } = indexPrevious(previous);
    const work = { clones: 0, blobsFetched: 0 };
    const context = {
      previousState: previous.state,
      previousRepository: (url: string) => repoByUrl.get(url),
      previousWorkflows: (url: string) => workflowsByRepo.get(url) ?? [],
      force: options.force ?? false,
      git: options.git ?? {},
      extract: options.extract ?? {},
      extractor: await extractorFingerprint(),
      startedAt,
      stagedPreviews: staged.previews,
      stagedMedia: staged.media,
      work,
      log,
    };
    const progress = createProgress(options.progress ?? 'none', log);
    progress.add(targets.length);
    const limit = pLimit(Math.max(1, options.concurrency ?? 4));
    const visited = await Promise.all(
      targets.map((target) =>
        limit(async () => {
          const outcome = await visitRepository(target, context).catch((error: unknown): RepoOutcome => ({ kind: 'failed', error: redact(error instanceof Error ? error.message : String(error)) }));
          const what = outcome.kind === 'fresh' ? (outcome.changed ? `updated (${outcome.workflows.length} workflows)` : 'unchanged') : outcome.kind === 'removed' ? 'removed (empty)' : `failed: ${outcome.error}`;
          progress.done(`${target.url} ${what}`);
          return { url: target.url, sourceId: target.sourceId, outcome };
        }),
      ),
    );
    progress.stop();

    // 3. The next catalog, from the outcomes and the previous one.
    const catalog = assembleCatalog({ previous: part, listings, visited, api: nextApi, startedAt });
    const harvest = await images;
    const imageCatalog = harvest ? assembleImages(read.images, harvest, startedAt, previous.state.missingSince) : null;
    // Images share the state's removal evidence, keyed by their page URL (never a repository's); a crawl that
    // harvested no images keeps what the state said of the images it keeps.
    const imagesMissing =
      imageCatalog?.missingSince ?? Object.fromEntries(read.images.flatMap((image) => (previous.state.missingSince[image.url] ? [[image.url, previous.state.missingSince[image.url]!]] : [])));
    catalog.state = sortedState({ ...catalog.state, missingSince: { ...catalog.state.missingSince, ...imagesMissing } });
    const dockerhub = harvest ? harvest.stats : null;
    if (catalog.problems.length > 0) return { ...stopped(1, catalog.problems.map(redact)), summaries: catalog.summaries, api: github ? github.stats : null, dockerhub, git: work };
    if (imageCatalog) catalog.summaries.push(...imageCatalog.summaries);

    // 4. Write.
    await publishCatalog(out, staged, catalog, part.repositories);
    if (imageCatalog) await publishImages(out, imageCatalog.images);
    await writeShardMarker(
      out,
      shard
        ? { shardVersion: 1, ...shard, sources: sourcesFingerprint(loaded.sources), only: [...(options.only ?? [])].sort(), startedAt, summaries: catalog.summaries, ...(imageCatalog ? { images: true as const } : {}) }
        : null,
    );
    const failed = catalog.summaries.some((s) => s.status !== 'ok');
    return { exitCode: failed && options.strict ? 1 : 0, summaries: catalog.summaries, api: github ? github.stats : null, dockerhub, git: work, problems: [] };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
