/**
 * A loopback GitHub REST API (node:http on 127.0.0.1) speaking the routes the crawler uses, with GitHub's
 * real headers: ETag / If-None-Match → 304 (not counted against the rate limit), x-ratelimit-*, Link
 * pagination, 403/429 with retry-after, secondary-limit 403s (also provoked by more than
 * `secondaryLimitConcurrency` requests in flight), 5xx and connection resets on demand.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fullRepository, minimalRepository, searchResult, type FakeRepo } from './shapes.js';

export type { FakeRepo } from './shapes.js';

export type FaultKind = '500' | '502' | '429' | 'secondary' | 'reset';

export type ServerStats = {
  /** Every request received. */
  requests: number;
  /** Requests that count against the rate limit (not 304, not /rate_limit). */
  counted: number;
  notModified: number;
  inFlight: number;
  maxInFlight: number;
  secondaryLimitResponses: number;
  rateLimitResponses: number;
  faults: number;
  byPath: Record<string, number>;
};

export type GitHubServerOptions = {
  repos?: FakeRepo[];
  /** Requests allowed per window before 403 "API rate limit exceeded". Default 5000. */
  rateLimit?: number;
  /** Seconds until the rate limit resets (x-ratelimit-reset); default 3600. */
  resetSeconds?: number;
  /** Value of retry-after on 429 and secondary-limit 403s (seconds). */
  retryAfter?: number;
  /** More than this many requests at once provokes a secondary-limit 403. Default 10. */
  secondaryLimitConcurrency?: number;
  /** Per request: return a fault to inject, or null. Called with the request path and a 0-based sequence number. */
  fault?: (path: string, sequence: number) => FaultKind | null;
  /** Artificial latency per response (ms), so concurrency is observable. */
  latencyMs?: number;
  /** A request must carry `authorization: token <this>` if set (answers 401 otherwise). */
  token?: string;
  /** Search answers `incomplete_results: true` (GitHub's search timed out) with the items it found. */
  searchIncomplete?: boolean;
};

export type GitHubServer = {
  url: string;
  stats: ServerStats;
  repos: Map<string, FakeRepo>;
  /** Adds or replaces a repository (by owner/name). */
  put(repo: FakeRepo): void;
  remove(fullName: string): void;
  resetStats(): void;
  /** Changes options after start (e.g. `searchIncomplete`). */
  options: GitHubServerOptions;
  /** Authorization headers seen (to check how a token travelled). */
  authorizations: string[];
  close(): Promise<void>;
};

function etagOf(body: string): string {
  return `W/"${createHash('sha1').update(body).digest('hex')}"`;
}

function emptyStats(): ServerStats {
  return { requests: 0, counted: 0, notModified: 0, inFlight: 0, maxInFlight: 0, secondaryLimitResponses: 0, rateLimitResponses: 0, faults: 0, byPath: {} };
}

/** Deterministic fault schedule: roughly `rate` of requests, spread over the given kinds. */
export function faultEvery(rate: number, kinds: FaultKind[], seed = 1): (path: string, sequence: number) => FaultKind | null {
  let state = seed >>> 0 || 1;
  const random = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
  return () => (random() < rate ? kinds[Math.floor(random() * kinds.length)]! : null);
}

export async function startGitHubServer(options: GitHubServerOptions = {}): Promise<GitHubServer> {
  const repos = new Map<string, FakeRepo>((options.repos ?? []).map((repo) => [`${repo.owner}/${repo.name}`.toLowerCase(), repo]));
  let stats = emptyStats();
  const authorizations: string[] = [];
  const limit = options.rateLimit ?? 5000;
  const window = options.resetSeconds ?? 3600;
  // The first window opens with the first request, so a slow start does not use it up.
  let resetAt = 0;
  let used = 0;
  let sequence = 0;
  const retryAfter = String(options.retryAfter ?? 1);

  function rateHeaders(resource: string): Record<string, string> {
    if (Date.now() >= resetAt * 1000) {
      used = 0;
      resetAt = Math.floor(Date.now() / 1000) + window;
    }
    return {
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(Math.max(0, limit - used)),
      'x-ratelimit-used': String(used),
      'x-ratelimit-reset': String(resetAt),
      'x-ratelimit-resource': resource,
    };
  }

  function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
    const text = body === null ? '' : JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-github-api-version-selected': '2022-11-28', ...headers });
    res.end(text);
  }

  function route(url: URL): { body: unknown; link?: string; resource: string } | null {
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 30));
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1));
    const paginate = <T>(items: T[]) => {
      const start = (page - 1) * perPage;
      const last = Math.max(1, Math.ceil(items.length / perPage));
      const links: string[] = [];
      const at = (n: number) => {
        const next = new URL(url.href);
        next.searchParams.set('page', String(n));
        return `<${next.href}>`;
      };
      if (page < last) links.push(`${at(page + 1)}; rel="next"`, `${at(last)}; rel="last"`);
      if (page > 1) links.push(`${at(1)}; rel="first"`, `${at(page - 1)}; rel="prev"`);
      return { items: items.slice(start, start + perPage), link: links.length ? links.join(', ') : undefined };
    };
    const sorted = [...repos.values()].sort((a, b) => `${a.owner}/${a.name}`.toLowerCase().localeCompare(`${b.owner}/${b.name}`.toLowerCase()));
    if ((parts[0] === 'orgs' || parts[0] === 'users') && parts[2] === 'repos' && parts.length === 3) {
      const owned = sorted.filter((repo) => repo.owner.toLowerCase() === parts[1]!.toLowerCase());
      if (owned.length === 0) return null;
      const { items, link } = paginate(owned.map(minimalRepository));
      return { body: items, link, resource: 'core' };
    }
    if (parts[0] === 'repos' && parts.length >= 3) {
      const repo = repos.get(`${parts[1]}/${parts[2]}`.toLowerCase());
      if (!repo) return null;
      if (parts.length === 3) return { body: fullRepository(repo), resource: 'core' };
      if (parts[3] === 'topics' && parts.length === 4) return { body: { names: repo.topics ?? [] }, resource: 'core' };
      return null;
    }
    if (parts[0] === 'search' && parts[1] === 'repositories') {
      const topic = /(?:^|\s)topic:([^\s]+)/.exec(url.searchParams.get('q') ?? '')?.[1];
      const found = sorted.filter((repo) => topic && (repo.topics ?? []).includes(topic));
      const { items, link } = paginate(found.map(searchResult));
      const incomplete = options.searchIncomplete === true;
      return { body: { total_count: found.length, incomplete_results: incomplete, items: incomplete ? items.slice(0, Math.floor(items.length / 2)) : items }, link, resource: 'search' };
    }
    return null;
  }

  const server = http.createServer((req, res) => {
    stats.requests += 1;
    stats.inFlight += 1;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    let finished = false;
    const finish = () => {
      if (!finished) {
        finished = true;
        stats.inFlight -= 1;
      }
    };
    res.on('close', finish);
    const handle = () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      stats.byPath[url.pathname] = (stats.byPath[url.pathname] ?? 0) + 1;
      if (req.headers.authorization) authorizations.push(req.headers.authorization);
      if (options.token && req.headers.authorization !== `token ${options.token}`) {
        send(res, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' }, {});
        return;
      }
      if (req.method !== 'GET') {
        send(res, 404, { message: 'Not Found' }, {});
        return;
      }
      if (url.pathname === '/rate_limit') {
        const core = { limit, remaining: Math.max(0, limit - used), reset: resetAt, used };
        send(res, 200, { resources: { core, search: { limit: 30, remaining: 30, reset: resetAt, used: 0 } }, rate: core }, rateHeaders('core'));
        return;
      }
      const secondaryLimit = options.secondaryLimitConcurrency ?? 10;
      if (stats.inFlight > secondaryLimit) {
        stats.secondaryLimitResponses += 1;
        send(
          res,
          403,
          { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.', documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits' },
          { ...rateHeaders('core'), 'retry-after': retryAfter },
        );
        return;
      }
      const fault = options.fault?.(url.pathname, sequence++) ?? null;
      if (fault) {
        stats.faults += 1;
        if (fault === 'reset') {
          req.socket.destroy();
          return;
        }
        if (fault === '429') {
          send(res, 429, { message: 'Too Many Requests' }, { ...rateHeaders('core'), 'retry-after': retryAfter });
          return;
        }
        if (fault === 'secondary') {
          stats.secondaryLimitResponses += 1;
          send(res, 403, { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' }, { ...rateHeaders('core'), 'retry-after': retryAfter });
          return;
        }
        send(res, Number(fault), { message: 'Server Error' }, {});
        return;
      }
      const found = route(url);
      const resource = found?.resource ?? 'core';
      const body = found ? JSON.stringify(found.body) : null;
      const etag = body ? etagOf(body + (found?.link ?? '')) : null;
      if (etag && req.headers['if-none-match'] === etag) {
        stats.notModified += 1;
        res.writeHead(304, { etag, ...rateHeaders(resource), ...(found?.link ? { link: found.link } : {}) });
        res.end();
        return;
      }
      rateHeaders(resource);
      if (used >= limit) {
        stats.rateLimitResponses += 1;
        send(res, 403, { message: 'API rate limit exceeded for 127.0.0.1.', documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api' }, rateHeaders(resource));
        return;
      }
      used += 1;
      stats.counted += 1;
      if (!found) {
        send(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' }, rateHeaders(resource));
        return;
      }
      send(res, 200, found.body, { ...rateHeaders(resource), etag: etag!, ...(found.link ? { link: found.link } : {}), 'cache-control': 'private, max-age=60, s-maxage=60', vary: 'Accept, Authorization, Cookie' });
    };
    if (options.latencyMs) setTimeout(handle, options.latencyMs);
    else handle();
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get stats() {
      return stats;
    },
    repos,
    authorizations,
    options,
    put(repo) {
      repos.set(`${repo.owner}/${repo.name}`.toLowerCase(), repo);
    },
    remove(fullName) {
      repos.delete(fullName.toLowerCase());
    },
    resetStats() {
      stats = emptyStats();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
