/**
 * A polite HTTP client for Docker Hub and its registry, with the GitHub client's limits (crawler/github/client.ts):
 * at most `maxInFlight` requests at once, 429 answered by waiting its `retry-after` (never longer than
 * `maxWaitSeconds`), 5xx and network errors retried with backoff, a timeout per request and a cap on every
 * body read (the remote is untrusted: a body over the cap is an error, never buffered whole).
 */
import pLimit from 'p-limit';

export type HttpOptions = {
  /** Requests on the wire at once (across every image of the crawl). */
  maxInFlight?: number;
  /** Retries after a 429, a 5xx or a network error. */
  retries?: number;
  /** Longest wait we accept (seconds): a longer `retry-after` fails the request. */
  maxWaitSeconds?: number;
  /** Scale of every wait (1000 = real seconds); tests shrink it. */
  retryAfterBaseValue?: number;
  /** Per attempt, milliseconds. */
  timeoutMs?: number;
  log?: (line: string) => void;
};

export type HttpStats = { requests: number; rateLimitWaits: number; retries: number };

export type HttpResponse = { status: number; url: string; headers: Headers; body: Buffer };

export class HttpError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}

export type Http = {
  /** GET with retries; any status is returned once retries are over (callers decide what a 404 means). */
  get(url: string, init: { headers?: Record<string, string>; maxBytes: number }): Promise<HttpResponse>;
  stats: HttpStats;
};

const USER_AGENT = 'ida-catalog-crawler';

/** `retry-after` as seconds (a number or an HTTP date); null when absent or unreadable. */
export function retryAfterSeconds(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\s*\d+\s*$/.test(value)) return Number(value);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - now) / 1000));
}

/** The body, refused once it passes `maxBytes` (the connection is then dropped). */
async function readCapped(response: Response, maxBytes: number, what: string): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new HttpError(`${what}: the answer is ${declared} bytes, over the ${maxBytes}-byte cap`, response.status);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  if (!response.body) return Buffer.alloc(0);
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

/** A URL for messages: no query (it can carry scopes and, for token requests, nothing else we want printed). */
export function shortUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

export function createHttp(options: HttpOptions = {}): Http {
  const limit = pLimit(options.maxInFlight ?? 8);
  const retries = options.retries ?? 4;
  const maxWait = options.maxWaitSeconds ?? 15 * 60;
  const base = options.retryAfterBaseValue ?? 1000;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const log = options.log ?? (() => {});
  const stats: HttpStats = { requests: 0, rateLimitWaits: 0, retries: 0 };
  const sleep = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * base));

  async function attempt(url: string, headers: Record<string, string>, maxBytes: number): Promise<HttpResponse> {
    stats.requests += 1;
    const response = await fetch(url, { headers: { 'user-agent': USER_AGENT, ...headers }, redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) });
    const body = await readCapped(response, maxBytes, shortUrl(url));
    return { status: response.status, url: response.url || url, headers: response.headers, body };
  }

  async function get(url: string, init: { headers?: Record<string, string>; maxBytes: number }): Promise<HttpResponse> {
    for (let tries = 0; ; tries += 1) {
      let wait: number;
      let why: string;
      try {
        const response = await limit(() => attempt(url, init.headers ?? {}, init.maxBytes));
        if (response.status === 429) {
          stats.rateLimitWaits += 1;
          const after = retryAfterSeconds(response.headers.get('retry-after')) ?? 2 ** tries * 5;
          if (after > maxWait) throw new HttpError(`${shortUrl(url)}: rate limited; retry-after ${after}s is over the ${maxWait}s we wait`, 429);
          wait = after;
          why = 'rate limited (429)';
        } else if (response.status >= 500) {
          wait = retryAfterSeconds(response.headers.get('retry-after')) ?? 2 ** tries;
          why = `HTTP ${response.status}`;
        } else {
          return response;
        }
        if (tries >= retries) throw new HttpError(`${shortUrl(url)}: ${why}, still after ${retries} retries`, response.status);
      } catch (error) {
        if (error instanceof HttpError) throw error;
        // Network errors and timeouts: retried like a 5xx.
        if (tries >= retries) throw new HttpError(`${shortUrl(url)}: ${error instanceof Error ? error.message : String(error)}`, null);
        wait = 2 ** tries;
        why = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : 'network error';
      }
      stats.retries += 1;
      log(`${shortUrl(url)}: ${why}; retrying in ${Math.min(wait, maxWait)}s`);
      await sleep(Math.min(wait, maxWait));
    }
  }

  return { get, stats };
}

/** A response body as JSON, or an error naming the URL (garbage from a remote is never a crash). */
export function jsonOf(response: HttpResponse): unknown {
  try {
    return JSON.parse(response.body.toString('utf8')) as unknown;
  } catch {
    throw new HttpError(`${shortUrl(response.url)}: the answer is not JSON (HTTP ${response.status})`, response.status);
  }
}
