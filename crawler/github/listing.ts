/**
 * Which repositories a GitHub source names, with the forge fields we keep. Every page is a conditional
 * request against the ETag stored from the last crawl; a 304 reuses the stored page.
 */
import type { components } from '@octokit/openapi-types';
import type { GitHubSource } from '../../catalog/contract/index.js';
import { GitHubError, nextPage, type GitHub } from './client.js';

type ApiRepo = components['schemas']['minimal-repository'] | components['schemas']['full-repository'] | components['schemas']['repo-search-result-item'];

/** What the forge API says about a repository; stored in the crawl state so 304s can reuse it. */
export type ForgeRepo = {
  fullName: string;
  url: string;
  description: string | null;
  topics: string[];
  license: string | null;
  stars: number | null;
  defaultBranch: string | null;
  pushedAt: string | null;
  archived: boolean;
  fork: boolean;
  /** An empty repository (GitHub reports size 0 and no push). */
  empty: boolean;
};

/** One cached API response page. */
export type CachedPage = { etag: string | null; next: number | null; repos: ForgeRepo[] };
export type ApiCache = Record<string, CachedPage>;

function isoOrNull(value: string | null | undefined): string | null {
  return value ? new Date(value).toISOString().replace('.000Z', 'Z') : null;
}

export function toForgeRepo(repo: ApiRepo): ForgeRepo {
  const spdx = repo.license?.spdx_id;
  return {
    fullName: repo.full_name,
    url: `https://github.com/${repo.full_name}`,
    description: repo.description ?? null,
    topics: [...new Set(repo.topics ?? [])].sort(),
    license: spdx && spdx !== 'NOASSERTION' ? spdx : null,
    stars: repo.stargazers_count ?? null,
    defaultBranch: repo.default_branch ?? null,
    pushedAt: isoOrNull(repo.pushed_at),
    archived: repo.archived ?? false,
    fork: repo.fork,
    empty: repo.size === 0 && !repo.pushed_at,
  };
}

type Listing = { route: string; params: Record<string, string | number>; items: (data: unknown) => ApiRepo[] };

function listingFor(target: GitHubSource['github']): Listing | null {
  if ('org' in target) return { route: '/orgs/{org}/repos', params: { org: target.org, type: 'public', sort: 'full_name' }, items: (d) => d as ApiRepo[] };
  if ('user' in target) return { route: '/users/{username}/repos', params: { username: target.user, type: 'owner', sort: 'full_name' }, items: (d) => d as ApiRepo[] };
  if ('topic' in target)
    return {
      route: '/search/repositories',
      params: { q: `topic:${target.topic} fork:true`, sort: 'updated', order: 'desc' },
      items: (d) => (d as { items: ApiRepo[] }).items,
    };
  return null;
}

function cacheKey(route: string, params: Record<string, string | number>): string {
  let key = route;
  const query: string[] = [];
  for (const [name, value] of Object.entries(params)) {
    if (key.includes(`{${name}}`)) key = key.replace(`{${name}}`, encodeURIComponent(String(value)));
    else query.push(`${name}=${encodeURIComponent(String(value))}`);
  }
  return query.length ? `${key}?${query.sort().join('&')}` : key;
}

/** The search API allows 1,000 results; we read at most 10 pages of 100. */
const MAX_PAGES = 10;

/**
 * The repositories of a GitHub source. `previous` is the last crawl's cache, `next` receives every page
 * this crawl relied on (so pages that no longer exist drop out of the state).
 */
export async function listGitHubSource(
  github: GitHub,
  source: GitHubSource,
  previous: ApiCache,
  next: ApiCache,
): Promise<ForgeRepo[]> {
  const target = source.github;
  if ('repo' in target) {
    const [owner, repo] = target.repo.split('/') as [string, string];
    const key = cacheKey('/repos/{owner}/{repo}', { owner, repo });
    const cached = previous[key];
    const response = await github.get<components['schemas']['full-repository']>('/repos/{owner}/{repo}', { owner, repo }, cached?.etag ?? null);
    const page = response.status === 304 && cached ? cached : response.status === 200 ? { etag: response.etag, next: null, repos: [toForgeRepo(response.data)] } : null;
    if (!page) throw new GitHubError(`GitHub answered 304 for ${key} without a cached copy`, 304);
    next[key] = page;
    return page.repos;
  }
  const listing = listingFor(target)!;
  const repos: ForgeRepo[] = [];
  let pageNumber: number | null = 1;
  for (let count = 0; pageNumber !== null && count < MAX_PAGES; count += 1) {
    const params = { ...listing.params, per_page: 100, page: pageNumber };
    const key = cacheKey(listing.route, params);
    const cached = previous[key];
    const response = await github.get<unknown>(listing.route, params, cached?.etag ?? null);
    let page: CachedPage;
    if (response.status === 304) {
      if (!cached) throw new GitHubError(`GitHub answered 304 for ${key} without a cached copy`, 304);
      page = cached;
    } else {
      // GitHub's search gives up on slow queries and says so: a partial list is no evidence that the
      // repositories left out are gone, so the whole listing fails (and the source keeps its records).
      if ((response.data as { incomplete_results?: unknown }).incomplete_results === true) {
        throw new GitHubError(`GitHub ${listing.route} answered page ${pageNumber} with incomplete_results: true; the listing is not trusted this time`, null);
      }
      page = { etag: response.etag, next: nextPage(response.link), repos: listing.items(response.data).map(toForgeRepo) };
    }
    next[key] = page;
    repos.push(...page.repos);
    pageNumber = page.next;
  }
  return repos.filter((repo) => (source.forks || !repo.fork) && (source.archived || !repo.archived));
}
