/**
 * Stage 1 of a crawl: which repositories each source names. Sources are listed in parallel (the API client
 * bounds requests in flight) and repositories are claimed in sources order, so a repository two sources
 * name is harvested once, by the first.
 */
import type { GitSource, Repository, RepositorySource } from '../../catalog/contract/index.js';
import { GitHubError, type GitHub } from '../github/client.js';
import { listGitHubSource, type ApiCache, type ForgeRepo } from '../github/listing.js';
import { listMirrorAccount } from '../git/mirror.js';
import type { UrlRewrite } from '../git/remote.js';
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
};

/** How listing one source went: `failed` keeps every record it had; `errors` are for its summary. */
export type SourceListing = { id: string; failed: boolean; errors: string[] };

export type ResolveContext = {
  github: GitHub | null;
  noApi: boolean;
  rewrites: UrlRewrite[];
  previousState: CrawlState;
  /** Receives every API page this crawl relied on. */
  nextApi: ApiCache;
  /** Repositories that belong to sources not crawled this run: nobody else claims them. */
  keptUrls: Iterable<string>;
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

function githubTarget(url: string, fullName: string, forge: ForgeRepo | null, sourceId: string, source: RepositorySource): Target {
  return { url, provider: 'github', fullName, ref: null, forge, sourceId, source };
}

/** The targets of every source (claimed in sources order) and how each listing went. */
export async function resolveTargets(sources: { id: string; source: RepositorySource }[], context: ResolveContext): Promise<{ targets: Target[]; listings: SourceListing[] }> {
  const listed = await Promise.all(
    sources.map(({ id, source }) => {
      const errors: string[] = [];
      return listSource(id, source, errors, context).then(
        (found) => ({ listing: { id, failed: false, errors }, found }),
        (error: unknown) => ({ listing: { id, failed: true, errors: [...errors, context.redact(error instanceof Error ? error.message : String(error))] }, found: [] as Target[] }),
      );
    }),
  );
  const targets: Target[] = [];
  const claimed = new Set<string>(context.keptUrls);
  for (const { found } of listed) {
    for (const target of found) {
      if (claimed.has(target.url)) continue; // an earlier source already harvests it
      claimed.add(target.url);
      targets.push(target);
    }
  }
  return { targets, listings: listed.map(({ listing }) => listing) };
}

async function listSource(id: string, source: RepositorySource, errors: string[], context: ResolveContext): Promise<Target[]> {
  const { github, previousState, log } = context;
  if ('git' in source) return [gitTarget(id, source)];
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
