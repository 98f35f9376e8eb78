/**
 * The Zenodo REST client: plain fetch with the GitHub client's manners (crawler/github/client.ts). At most
 * `maxInFlight` requests at once; a 429 waits what `retry-after` (or `x-ratelimit-reset`) asks, up to
 * `maxWaitSeconds`; 5xx and network failures are retried with backoff; a remaining budget of 0 holds the
 * next request until the window resets. Every response is untrusted: bodies are read up to a byte cap, every
 * request has a timeout, and only URLs under the configured API base are fetched (a `links.next` or file link
 * pointing anywhere else is refused), redirects included.
 */
import pLimit from 'p-limit';

export type ZenodoClientOptions = {
  /** ZENODO_API_URL: the API root, default https://zenodo.org/api (tests: the loopback server). */
  baseUrl?: string;
  maxInFlight?: number;
  /** Attempts after the first, for 429, 5xx and network failures. */
  retries?: number;
  /** Longest rate-limit wait we accept before giving up on a request (seconds). */
  maxWaitSeconds?: number;
  /** Milliseconds per second of every wait (1000 = real seconds); tests shrink it. */
  retryAfterBaseValue?: number;
  /** Per request, headers and body together. */
  timeoutMs?: number;
  log?: (line: string) => void;
};

export type ZenodoStats = { requests: number; retries: number; rateLimitWaits: number };

/** `status` is the HTTP status, or null when no answer came (network, timeout) or the answer was unusable. */
export class ZenodoError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    /** Whether trying again later may succeed (network, timeout, 429, 5xx). */
    readonly transient: boolean,
  ) {
    super(message);
  }
}

export type Zenodo = {
  /** The API root, without a trailing slash. */
  baseUrl: string;
  /** GET a JSON document of at most `maxBytes`. */
  getJson(url: string, maxBytes: number): Promise<unknown>;
  stats: ZenodoStats;
};

export const DEFAULT_ZENODO_API = 'https://zenodo.org/api';
const MAX_REDIRECTS = 3;

export function createZenodo(options: ZenodoClientOptions = {}): Zenodo {
  const baseUrl = (options.baseUrl ?? DEFAULT_ZENODO_API).replace(/\/+$/, '');
  const base = new URL(`${baseUrl}/`);
  const log = options.log ?? (() => {});
  const retries = options.retries ?? 4;
  const maxWait = options.maxWaitSeconds ?? 120;
  const unit = options.retryAfterBaseValue ?? 1000;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const limit = pLimit(options.maxInFlight ?? 2);
  const stats: ZenodoStats = { requests: 0, retries: 0, rateLimitWaits: 0 };
  let notBefore = 0;

  const underBase = (url: URL) => url.origin === base.origin && url.pathname.startsWith(base.pathname) && !url.username && !url.password;

  async function once(url: URL, maxBytes: number): Promise<{ status: number; headers: Headers; body: Buffer | null }> {
    let current = url;
    for (let hop = 0; ; hop += 1) {
      const wait = notBefore - Date.now();
      if (wait > 0) await sleep(wait);
      stats.requests += 1;
      const signal = AbortSignal.timeout(timeoutMs);
      const response = await fetch(current, { redirect: 'manual', signal, headers: { accept: 'application/json', 'user-agent': 'ida-catalog-crawler' } });
      noteBudget(response.headers);
      if (response.status >= 300 && response.status < 400 && response.headers.has('location')) {
        await response.body?.cancel();
        const next = new URL(response.headers.get('location')!, current);
        if (!underBase(next)) throw new ZenodoError(`Zenodo redirected ${describeUrl(current)} to ${next.origin}, outside the API at ${base.origin}; not followed`, response.status, false);
        if (hop >= MAX_REDIRECTS) throw new ZenodoError(`Zenodo redirected ${describeUrl(url)} more than ${MAX_REDIRECTS} times`, response.status, false);
        current = next;
        continue;
      }
      if (response.status !== 200) {
        await response.body?.cancel();
        return { status: response.status, headers: response.headers, body: null };
      }
      return { status: 200, headers: response.headers, body: await readCapped(response, maxBytes, current) };
    }
  }

  /** A window with no requests left holds every request until it resets (at most maxWait). */
  function noteBudget(headers: Headers) {
    if (headers.get('x-ratelimit-remaining') !== '0') return;
    const reset = Number(headers.get('x-ratelimit-reset'));
    if (!Number.isFinite(reset)) return;
    const seconds = Math.min(maxWait, Math.max(0, reset - Date.now() / 1000));
    notBefore = Math.max(notBefore, Date.now() + seconds * unit);
  }

  async function getJson(text: string, maxBytes: number): Promise<unknown> {
    let url: URL;
    try {
      url = new URL(text, base);
    } catch {
      throw new ZenodoError(`Zenodo gave a link that is not a URL: ${JSON.stringify(text.slice(0, 200))}`, null, false);
    }
    if (!underBase(url)) throw new ZenodoError(`refusing ${describeUrl(url)}: not under the Zenodo API at ${baseUrl}`, null, false);
    return limit(async () => {
      for (let attempt = 0; ; attempt += 1) {
        let outcome: { status: number; headers: Headers; body: Buffer | null };
        try {
          outcome = await once(url, maxBytes);
        } catch (error) {
          if (error instanceof ZenodoError) throw error;
          const why = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : error instanceof Error ? error.message : String(error);
          if (attempt >= retries) throw new ZenodoError(`Zenodo ${describeUrl(url)}: ${why}`, null, true);
          stats.retries += 1;
          await sleep(backoff(attempt) * unit);
          continue;
        }
        const { status, headers, body } = outcome;
        if (status === 200) return parseJson(body!, url);
        if (status === 429) {
          stats.rateLimitWaits += 1;
          const seconds = retryAfterSeconds(headers) ?? 60;
          if (seconds > maxWait || attempt >= retries) throw new ZenodoError(`Zenodo rate limit on ${describeUrl(url)}: asked to wait ${seconds}s (we wait at most ${maxWait}s, ${retries} times)`, 429, true);
          log(`Zenodo rate limit reached; waiting ${seconds}s`);
          await sleep(seconds * unit);
          continue;
        }
        if (status >= 500) {
          if (attempt >= retries) throw new ZenodoError(`Zenodo ${describeUrl(url)}: HTTP ${status} after ${retries + 1} attempts`, status, true);
          stats.retries += 1;
          await sleep((retryAfterSeconds(headers) ?? backoff(attempt)) * unit);
          continue;
        }
        throw new ZenodoError(`Zenodo ${describeUrl(url)}: HTTP ${status}`, status, false);
      }
    });
  }

  return { baseUrl, getJson, stats };
}

function backoff(attempt: number): number {
  return Math.min(60, 2 ** attempt);
}

/** `retry-after` in seconds or as an HTTP date, else Zenodo's `x-ratelimit-reset` (epoch seconds). */
export function retryAfterSeconds(headers: Headers, now = Date.now()): number | null {
  const value = headers.get('retry-after');
  if (value !== null && value.trim() !== '') {
    if (/^\d+$/.test(value.trim())) return Number(value.trim());
    const date = Date.parse(value);
    if (Number.isFinite(date)) return Math.max(0, Math.ceil((date - now) / 1000));
  }
  const reset = Number(headers.get('x-ratelimit-reset'));
  if (headers.has('x-ratelimit-reset') && Number.isFinite(reset) && reset > 0) return Math.max(0, Math.ceil(reset - now / 1000));
  return null;
}

async function readCapped(response: Response, maxBytes: number, url: URL): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw new ZenodoError(`Zenodo ${describeUrl(url)}: ${declared} bytes, over the ${maxBytes}-byte cap`, 200, false);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  if (!reader) return Buffer.alloc(0);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new ZenodoError(`Zenodo ${describeUrl(url)}: over the ${maxBytes}-byte cap`, 200, false);
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}

function parseJson(body: Buffer, url: URL): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new ZenodoError(`Zenodo ${describeUrl(url)}: the answer is not JSON (${error instanceof Error ? error.message.slice(0, 120) : 'parse error'})`, 200, false);
  }
}

/** Path and query only, capped: enough to name a request in a message. */
function describeUrl(url: URL): string {
  return `${url.pathname}${url.search}`.slice(0, 300);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
