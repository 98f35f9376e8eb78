/**
 * The GitHub REST client: @octokit/rest with the throttling and retry plugins, never more than
 * `maxInFlight` requests at once, and conditional requests (If-None-Match) so an unchanged listing or
 * repository costs a 304, which does not count against the rate limit.
 */
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import pLimit from 'p-limit';

export type GitHubClientOptions = {
  /** GITHUB_TOKEN; optional (60 requests/hour without). Never logged. */
  token?: string;
  /** GITHUB_API_URL (GitHub Enterprise, GitHub Actions, the loopback test server). */
  baseUrl?: string;
  /** Longest rate-limit wait we accept before giving up on a request (seconds). */
  maxWaitSeconds?: number;
  /** Scale of every wait (1000 = real seconds); tests shrink it. */
  retryAfterBaseValue?: number;
  maxInFlight?: number;
  retries?: number;
  log?: (line: string) => void;
};

export type GitHubStats = { requests: number; notModified: number; rateLimitWaits: number; secondaryLimitHits: number; retries: number };

export type Conditional<T> = { status: 200; data: T; etag: string | null; link: string | null } | { status: 304 };

export class GitHubError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}

export type GitHub = {
  /** GET with If-None-Match; 304 → `{status: 304}`. */
  get<T>(route: string, params: Record<string, string | number>, etag: string | null): Promise<Conditional<T>>;
  stats: GitHubStats;
};

const ThrottledOctokit = Octokit.plugin(throttling, retry);

export function createGitHub(options: GitHubClientOptions = {}): GitHub {
  const log = options.log ?? (() => {});
  const maxWait = options.maxWaitSeconds ?? 15 * 60;
  const stats: GitHubStats = { requests: 0, notModified: 0, rateLimitWaits: 0, secondaryLimitHits: 0, retries: 0 };
  const octokit = new ThrottledOctokit({
    auth: options.token || undefined,
    baseUrl: (options.baseUrl ?? 'https://api.github.com').replace(/\/+$/, ''),
    userAgent: 'ida-catalog-crawler',
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    retry: { retries: options.retries ?? 4, retryAfterBaseValue: options.retryAfterBaseValue ?? 1000 },
    throttle: {
      retryAfterBaseValue: options.retryAfterBaseValue ?? 1000,
      onRateLimit: (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
        stats.rateLimitWaits += 1;
        if (retryAfter > maxWait || retryCount >= 3) {
          log(`GitHub rate limit exhausted for ${request.url}; reset in ${retryAfter}s, over the ${maxWait}s we wait`);
          return false;
        }
        log(`GitHub rate limit reached; waiting ${retryAfter}s`);
        return true;
      },
      onSecondaryRateLimit: (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
        stats.secondaryLimitHits += 1;
        if (retryAfter > maxWait || retryCount >= 3) return false;
        log(`GitHub secondary rate limit on ${request.url}; waiting ${retryAfter}s`);
        return true;
      },
    },
  });
  const limit = pLimit(options.maxInFlight ?? 10);
  // Count every attempt (retries included) and keep at most maxInFlight on the wire.
  octokit.hook.wrap('request', (request, requestOptions) =>
    limit(async () => {
      try {
        const response = await request(requestOptions);
        stats.requests += 1;
        return response;
      } catch (error) {
        stats.requests += 1;
        if ((error as { status?: number }).status === 304) stats.notModified += 1;
        else stats.retries += 1;
        throw error;
      }
    }),
  );

  async function get<T>(route: string, params: Record<string, string | number>, etag: string | null): Promise<Conditional<T>> {
    try {
      const response = await octokit.request(`GET ${route}`, {
        ...params,
        headers: etag ? { 'if-none-match': etag } : {},
      });
      const headers = response.headers as Record<string, string | undefined>;
      return { status: 200, data: response.data as T, etag: headers.etag ?? null, link: headers.link ?? null };
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status === 304) return { status: 304 };
      throw new GitHubError(describe(error, route), typeof status === 'number' ? status : null);
    }
  }

  return { get, stats };
}

/** A short, token-free message: octokit errors can carry request options. */
function describe(error: unknown, route: string): string {
  const status = (error as { status?: number }).status;
  const message = error instanceof Error ? error.message.split('\n')[0]!.slice(0, 300) : String(error);
  return `GitHub ${route}: ${status ? `HTTP ${status}: ` : ''}${message}`;
}

/** The URL of the next page from a Link header, as a page number. */
export function nextPage(link: string | null): number | null {
  if (!link) return null;
  for (const part of link.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="next"/.exec(part);
    if (match) {
      const page = new URL(match[1]!).searchParams.get('page');
      return page ? Number(page) : null;
    }
  }
  return null;
}
