/**
 * Stage 1 of a crawl: which repositories each source names. Sources are listed in parallel (the API client
 * bounds requests in flight) and repositories are claimed in sources order, so a repository two sources
 * name is harvested once, by the first; the others are recorded on it (`alsoFoundBy`), and a Zenodo
 * source's archive (its DOI) joins it whichever source claimed it.
 */
import { repositoryKey, type GitSource, type Repository, type RepositorySource } from '../../catalog/contract/index.js';
import { GitHubError, type GitHub } from '../github/client.js';
import { listGitHubSource, type ApiCache, type ForgeRepo } from '../github/listing.js';
import { listMirrorAccount } from '../git/mirror.js';
import type { UrlRewrite } from '../git/remote.js';
import type { Zenodo } from '../zenodo/client.js';
import type { ZenodoArchive } from '../zenodo/archive.js';
import { listZenodoSource } from '../zenodo/listing.js';
import type { CrawlState } from './state.js';

/** One repository to visit, as a source names it. */
export type Target = {
  url: string;
  provider: Repository['provider'];
  fullName: string;
  ref: string | null;
  forge: ForgeRepo | null;
  sourceId: string;
  source: RepositorySource;
  /** The Zenodo record that archives this repository, when a Zenodo source named it. */
  archive?: ZenodoArchive;
  /** Other sources that named the same repository (sorted). */
  alsoFoundBy?: string[];
};

/**
 * How listing one source went: `failed` keeps every record it had; `errors` are for its summary, and so are
 * `warnings` (worth knowing, not failures: e.g. Zenodo records that name no repository).
 */
export type SourceListing = { id: string; failed: boolean; errors: string[]; warnings?: string[] };

export type ResolveContext = {
  github: GitHub | null;
  /** The Zenodo API; null when no Zenodo source is crawled or under --no-api. */
  zenodo?: Zenodo | null;
  noApi: boolean;
  rewrites: UrlRewrite[];
  previousState: CrawlState;
  /** Receives every API page this crawl relied on. */
  nextApi: ApiCache;
  /** Repositories that belong to sources not crawled this run: nobody else claims them. */
  keptUrls: Iterable<string>;
  /** Ids of the sources in the sources file not crawled this run (--only): what they said last time stands. */
  notCrawled?: Iterable<string>;
  log: (line: string) => void;
  redact: (text: string) => string;
};

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

function forgeTarget(sourceId: string, source: RepositorySource, forge: ForgeRepo): Target {
  return { url: forge.url, provider: 'github', fullName: forge.fullName, ref: forge.defaultBranch, forge, sourceId, source };
}

function archiveTarget(sourceId: string, source: RepositorySource, archive: ZenodoArchive): Target {
  const url = new URL(archive.repository);
  return { url: archive.repository, provider: providerOf(url), fullName: url.pathname.slice(1), ref: null, forge: null, sourceId, source, archive };
}

function githubTarget(url: string, fullName: string, forge: ForgeRepo | null, sourceId: string, source: RepositorySource): Target {
  return { url, provider: 'github', fullName, ref: null, forge, sourceId, source };
}

/** The targets of every source (claimed in sources order) and how each listing went. */
export async function resolveTargets(sources: { id: string; source: RepositorySource }[], context: ResolveContext): Promise<{ targets: Target[]; listings: SourceListing[] }> {
  const listed = await Promise.all(
    sources.map(({ id, source }) => {
      const errors: string[] = [];
      const warnings: string[] = [];
      return listSource(id, source, errors, context, warnings).then(
        (found) => ({ listing: { id, failed: false, errors, warnings }, found }),
        (error: unknown) => ({ listing: { id, failed: true, errors: [...errors, context.redact(error instanceof Error ? error.message : String(error))], warnings }, found: [] as Target[] }),
      );
    }),
  );
  const targets: Target[] = [];
  // By repositoryKey: GitHub's https://github.com/Owner/Name and a record's https://github.com/owner/name.git are one repository.
  const claimed = new Map<string, Target | null>([...context.keptUrls].map((url) => [repositoryKey(url), null]));
  for (const { found, listing } of listed) {
    for (const target of found) {
      const key = repositoryKey(target.url);
      if (!claimed.has(key)) {
        claimed.set(key, target);
        targets.push(target);
        continue;
      }
      // An earlier source already harvests it: this one is a second provenance (and may bring the DOI).
      const first = claimed.get(key);
      if (!first) continue;
      if (target.sourceId !== first.sourceId) first.alsoFoundBy = [...new Set([...(first.alsoFoundBy ?? []), target.sourceId])].sort();
      if (target.archive && !first.archive) first.archive = target.archive;
      if (target.archive && target.sourceId !== first.sourceId) {
        listing.warnings.push(`record ${target.archive.recordId} (${target.archive.doi}) names ${first.url}, which source ${first.sourceId} harvests: one record, with both provenances${first.archive === target.archive ? ' and this DOI' : ''}`);
      }
    }
  }
  const unlisted = new Set([...(context.notCrawled ?? []), ...listed.filter(({ listing }) => listing.failed).map(({ listing }) => listing.id)]);
  carryUnlisted(targets, unlisted, context.previousState);
  return { targets, listings: listed.map(({ listing }) => listing) };
}

/**
 * A source that could not be listed this time (or was not crawled: --only) decides nothing: the archive (DOI)
 * and the provenance it gave a repository another source harvests stand as the last crawl recorded them.
 */
function carryUnlisted(targets: Target[], unlisted: Set<string>, previousState: CrawlState): void {
  if (unlisted.size === 0) return;
  for (const target of targets) {
    const before = previousState.repositories[target.url];
    if (!before) continue;
    if (!target.archive && before.archive && unlisted.has(before.archive.sourceId)) target.archive = before.archive;
    const kept = (before.alsoFoundBy ?? []).filter((id) => unlisted.has(id) && id !== target.sourceId);
    if (kept.length > 0) target.alsoFoundBy = [...new Set([...(target.alsoFoundBy ?? []), ...kept])].sort();
  }
}

async function listSource(id: string, source: RepositorySource, errors: string[], context: ResolveContext, warnings: string[] = []): Promise<Target[]> {
  const { github, previousState, log } = context;
  if ('git' in source) return [gitTarget(id, source)];
  if ('zenodo' in source) {
    if (!context.zenodo) throw new Error(`${id}: listing Zenodo community "${source.zenodo.community}" needs the Zenodo API (it is disabled by --no-api); the records it found before are kept`);
    const listing = await listZenodoSource(context.zenodo, id, source.zenodo);
    errors.push(...listing.errors);
    warnings.push(...listing.warnings);
    return listing.archives.map((archive) => archiveTarget(id, source, archive));
  }
  const target = source.github;
  if (github) {
    try {
      const repos = await listGitHubSource(github, source, previousState.api, context.nextApi);
      return repos.map((forge) => forgeTarget(id, source, forge));
    } catch (error) {
      if ('repo' in target && error instanceof GitHubError && error.status === 404) {
        // Deleted or made private: the repository is missing (assembleCatalog decides what its records become).
        errors.push(`${target.repo} not found on GitHub (deleted or private)`);
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
    return [githubTarget(url, target.repo, github ? known : null, id, source)];
  }
  const account = 'org' in target ? target.org : 'user' in target ? target.user : null;
  const mirrored = account ? await listMirrorAccount(account, context.rewrites) : null;
  if (mirrored) return mirrored.map((name) => githubTarget(`https://github.com/${account}/${name}`, `${account}/${name}`, null, id, source));
  const remembered = Object.entries(previousState.repositories).filter(([, state]) => state.source === id);
  if (remembered.length > 0) {
    log(`${id}: no API; crawling the ${remembered.length} repositories the last crawl found`);
    return remembered.map(([url, state]) => githubTarget(url, new URL(url).pathname.slice(1), github ? state.forge : null, id, source));
  }
  throw new Error(
    `${id}: listing ${Object.keys(target)[0]} "${Object.values(target)[0]}" needs the GitHub API (it is ${context.noApi ? 'disabled by --no-api' : 'unreachable'}) and no earlier crawl or local mirror lists it`,
  );
}
