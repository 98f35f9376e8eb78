/**
 * The crawler's polite GET for plain REST APIs (Docker Hub and its registry, Zenodo), with the manners the
 * GitHub client gets from the octokit plugins (crawler/github/client.ts): at most `maxInFlight` attempts on
 * the wire at once; a 429 waits what the server asks (`retry-after`, else `x-ratelimit-reset`), never longer
 * than `maxWaitSeconds`; a window with `x-ratelimit-remaining: 0` holds the next request until it resets;
 * 5xx and network failures are retried with backoff. The remote is untrusted: every attempt has a timeout and
 * every body a byte cap (a body over it is an error, never buffered whole).
 *
 * What a service adds on top (which URLs may be asked, what a status means, its JSON shapes) lives in its own
 * module: crawler/zenodo/client.ts, crawler/dockerhub/hub.ts and registry.ts.
 */
import pLimit from 'p-limit';

export type PoliteOptions = {
  /** Attempts on the wire at once (across everything the client serves). */
  maxInFlight?: number;
  /** Retries after a 429, a 5xx or a network error. */
  retries?: number;
  /** Longest wait we accept (seconds): a longer rate-limit wait fails the request. */
  maxWaitSeconds?: number;
  /** Milliseconds per second of every wait (1000 = real seconds); tests shrink it. */
  retryAfterBaseValue?: number;
  /** Per attempt (headers and body together), milliseconds. */
  timeoutMs?: number;
  log?: (line: string) => void;
};

export type PoliteStats = { requests: number; rateLimitWaits: number; retries: number };

export type PoliteResponse = { status: number; url: string; headers: Headers; body: Buffer };

/** `status` is the HTTP status, or null when no (usable) answer came. */
export class HttpError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    /** Whether trying again later may succeed (network, timeout, 429, 5xx after the retries). */
    readonly transient = false,
  ) {
    super(message);
  }
}

export type GetInit = {
  headers?: Record<string, string>;
  maxBytes: number;
  /** 'manual': a 3xx is the answer (body dropped), for callers that judge where a redirect goes. */
  redirect?: 'follow' | 'manual';
};

export type PoliteHttp = {
  /** GET with retries; any other status is returned once retries are over (callers decide what a 404 means). */
  get(url: string, init: GetInit): Promise<PoliteResponse>;
  stats: PoliteStats;
};

const USER_AGENT = 'ida-catalog-crawler';

/** A `retry-after` value as seconds (a number or an HTTP date); null when absent or unreadable. */
export function retryAfterSeconds(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\s*\d+\s*$/.test(value)) return Number(value);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - now) / 1000));
}

/** What a rate-limited answer asks us to wait: `retry-after`, else `x-ratelimit-reset` (epoch seconds); null when neither. */
export function rateLimitWaitSeconds(headers: Headers, now = Date.now()): number | null {
  const after = retryAfterSeconds(headers.get('retry-after'), now);
  if (after !== null) return after;
  const reset = Number(headers.get('x-ratelimit-reset'));
  return headers.has('x-ratelimit-reset') && Number.isFinite(reset) && reset > 0 ? Math.max(0, Math.ceil(reset - now / 1000)) : null;
}

/** A URL for messages: no query (it can carry scopes and tokens' requests, nothing we want printed). */
export function shortUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

/** The body, refused once it passes `maxBytes` (the connection is then dropped). */
async function readCapped(response: Response, maxBytes: number, what: string): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new HttpError(`${what}: the answer is ${declared} bytes, over the ${maxBytes}-byte cap`, response.status);
  }
  if (!response.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let total = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new HttpError(`${what}: the answer is over the ${maxBytes}-byte cap`, response.status);
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}

/** `service` names the remote in logs and errors ("Docker Hub https://hub.docker.com/v2/…: HTTP 502; retrying in 2s"). */
export function createPoliteHttp(service: string, options: PoliteOptions = {}): PoliteHttp {
  const limit = pLimit(options.maxInFlight ?? 8);
  const retries = options.retries ?? 4;
  const maxWait = options.maxWaitSeconds ?? 15 * 60;
  const unit = options.retryAfterBaseValue ?? 1000;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const log = options.log ?? (() => {});
  const stats: PoliteStats = { requests: 0, rateLimitWaits: 0, retries: 0 };
  const sleep = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * unit));
  let notBefore = 0;

  /** A window with no requests left holds every request until it resets (at most maxWait). */
  function noteBudget(headers: Headers) {
    if (headers.get('x-ratelimit-remaining') !== '0') return;
    const reset = Number(headers.get('x-ratelimit-reset'));
    if (!headers.has('x-ratelimit-reset') || !Number.isFinite(reset)) return;
    const seconds = Math.min(maxWait, Math.max(0, reset - Date.now() / 1000));
    notBefore = Math.max(notBefore, Date.now() + seconds * unit);
  }

  async function attempt(url: string, init: GetInit): Promise<PoliteResponse> {
    const hold = notBefore - Date.now();
    if (hold > 0) await new Promise((resolve) => setTimeout(resolve, hold));
    stats.requests += 1;
    const response = await fetch(url, {
      headers: { 'user-agent': USER_AGENT, ...init.headers },
      redirect: init.redirect ?? 'follow',
      signal: AbortSignal.timeout(timeoutMs),
    });
    noteBudget(response.headers);
    const isRedirect = response.status >= 300 && response.status < 400;
    if (isRedirect && init.redirect === 'manual') {
      await response.body?.cancel();
      return { status: response.status, url: response.url || url, headers: response.headers, body: Buffer.alloc(0) };
    }
    const body = await readCapped(response, init.maxBytes, shortUrl(url));
    return { status: response.status, url: response.url || url, headers: response.headers, body };
  }

  async function get(url: string, init: GetInit): Promise<PoliteResponse> {
    const where = shortUrl(url);
    for (let tries = 0; ; tries += 1) {
      let wait: number;
      let why: string;
      try {
        const response = await limit(() => attempt(url, init));
        if (response.status === 429) {
          stats.rateLimitWaits += 1;
          wait = rateLimitWaitSeconds(response.headers) ?? Math.min(60, 5 * 2 ** tries);
          if (wait > maxWait) throw new HttpError(`${service} ${where}: rate limited; retry-after ${wait}s is over the ${maxWait}s we wait`, 429, true);
          why = 'rate limited (429)';
        } else if (response.status >= 500) {
          wait = retryAfterSeconds(response.headers.get('retry-after')) ?? backoff(tries);
          why = `HTTP ${response.status}`;
        } else {
          return response;
        }
        if (tries >= retries) throw new HttpError(`${service} ${where}: ${why} after ${retries + 1} attempts`, response.status, true);
      } catch (error) {
        if (error instanceof HttpError) throw error;
        // Network errors and timeouts: retried like a 5xx.
        const message = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : error instanceof Error ? error.message : String(error);
        if (tries >= retries) throw new HttpError(`${service} ${where}: ${message}`, null, true);
        wait = backoff(tries);
        why = message;
      }
      stats.retries += 1;
      log(`${service} ${where}: ${why}; retrying in ${Math.min(wait, maxWait)}s`);
      await sleep(Math.min(wait, maxWait));
    }
  }

  return { get, stats };
}

function backoff(tries: number): number {
  return Math.min(60, 2 ** tries);
}

/** A response body as JSON, or an error naming the URL (garbage from a remote is never a crash). */
export function jsonOf(response: PoliteResponse): unknown {
  try {
    return JSON.parse(response.body.toString('utf8')) as unknown;
  } catch {
    throw new HttpError(`${shortUrl(response.url)}: the answer is not JSON (HTTP ${response.status})`, response.status);
  }
}
