/**
 * One GET for the facility probe, under hard limits: a wall-clock timeout for the whole exchange, a cap on
 * the answer's size, at most a few redirects and only on the facility's own host (never https → http), and
 * no connection to a loopback, private, link-local or reserved address unless the facility is listed with
 * `privateNetwork: true` — judged on the name as written and on every address it resolves to, so a public
 * name pointing at 127.0.0.1 is refused too. Never throws: every failure is a result with a reason.
 */
import http from 'node:http';
import https from 'node:https';
import { HOST_CLASS_LABELS, classifyHost } from '../../catalog/contract/index.js';
import { publicOnlyLookup, type Resolve } from '../../catalog/net/public-lookup.js';

export type ProbeLimits = {
  /** Whole exchange (connect, headers, body) of one request, ms. */
  timeoutMs: number;
  /** Largest answer body read; a longer one is cut off and the check fails. */
  maxBytes: number;
  /** Redirects followed (same host only). */
  maxRedirects: number;
};

export const DEFAULT_PROBE_LIMITS: ProbeLimits = { timeoutMs: 8_000, maxBytes: 256 * 1024, maxRedirects: 3 };

export type ProbeAnswer =
  /** The server answered (any status); `body` is the text of at most maxBytes. */
  | { answered: true; status: number; body: string; contentType: string; latencyMs: number }
  /** The server answered, but not with something to read: off-host redirect, too large, too many redirects. */
  | { answered: true; status: number; body: null; reason: string; latencyMs: number }
  /** No answer at all: refused, timed out, name not found, or not allowed to connect. */
  | { answered: false; reason: string };

export type GetOptions = {
  /** The facility is listed `privateNetwork: true`: loopback/private hosts and addresses may be asked. */
  allowPrivate: boolean;
  limits?: ProbeLimits;
  /** false: a redirect is the answer (a page that sends users to a sign-in elsewhere is up). */
  followRedirects?: boolean;
  resolve?: Resolve;
};

function describeError(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host name not found';
    case 'ETIMEDOUT':
      return error.message;
    case 'ECONNRESET':
      return 'connection reset';
    case 'EPRIVATE':
      return `not probed: ${error.message} (list the facility with privateNetwork: true if that is right)`;
    default:
      return error.code ? `${error.code}: ${error.message}`.slice(0, 200) : error.message.slice(0, 200);
  }
}

type Once = { status: number; location: string | null; body: string | null; contentType: string; tooLarge: boolean };

function getOnce(url: URL, options: GetOptions, limits: ProbeLimits, deadline: number): Promise<Once> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const lookup = options.allowPrivate ? undefined : publicOnlyLookup(options.resolve);
    const request = client.request(url, { method: 'GET', lookup, agent: false, headers: { 'User-Agent': 'ida-catalog-probe', Accept: 'application/json' } }, (response) => {
      const status = response.statusCode ?? 0;
      const location = typeof response.headers.location === 'string' ? response.headers.location : null;
      const contentType = String(response.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (status >= 300 && status < 400) {
        response.destroy();
        resolve({ status, location, body: null, contentType, tooLarge: false });
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limits.maxBytes) {
          response.destroy();
          resolve({ status, location, body: null, contentType, tooLarge: true });
        } else chunks.push(chunk);
      });
      response.on('end', () => resolve({ status, location, body: Buffer.concat(chunks).toString('utf8'), contentType, tooLarge: false }));
      response.on('error', reject);
    });
    const left = Math.max(1, deadline - Date.now());
    const timer = setTimeout(() => request.destroy(Object.assign(new Error(`no answer within ${limits.timeoutMs} ms`), { code: 'ETIMEDOUT' })), left);
    request.on('close', () => clearTimeout(timer));
    request.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.end();
  });
}

/** GETs `start` under the limits; see the module comment. */
export async function probeGet(start: string, options: GetOptions): Promise<ProbeAnswer> {
  const limits = options.limits ?? DEFAULT_PROBE_LIMITS;
  const followRedirects = options.followRedirects ?? true;
  const allowPrivate = options.allowPrivate;
  let url: URL;
  try {
    url = new URL(start);
  } catch {
    return { answered: false, reason: 'not a URL' };
  }
  const host = url.host;
  const began = Date.now();
  const deadline = began + limits.timeoutMs;
  for (let hop = 0; ; hop += 1) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return { answered: false, reason: `not an http(s) URL: ${url.protocol}` };
    const place = classifyHost(url.hostname);
    if (place !== 'public' && !allowPrivate) return { answered: false, reason: `not probed: ${url.hostname} is ${HOST_CLASS_LABELS[place]} (list the facility with privateNetwork: true if that is right)` };
    let once: Once;
    try {
      once = await getOnce(url, options, limits, deadline);
    } catch (error) {
      return { answered: false, reason: describeError(error as NodeJS.ErrnoException) };
    }
    const latencyMs = Date.now() - began;
    if (once.status >= 300 && once.status < 400 && once.location !== null && followRedirects) {
      let next: URL;
      try {
        next = new URL(once.location, url);
      } catch {
        return { answered: true, status: once.status, body: null, reason: 'redirects to something that is not a URL', latencyMs };
      }
      if (next.host !== host) return { answered: true, status: once.status, body: null, reason: `redirects off the facility's host (to ${next.host.slice(0, 100)}); not followed`, latencyMs };
      if (url.protocol === 'https:' && next.protocol !== 'https:') return { answered: true, status: once.status, body: null, reason: 'redirects from https to plain http; not followed', latencyMs };
      if (hop >= limits.maxRedirects) return { answered: true, status: once.status, body: null, reason: `more than ${limits.maxRedirects} redirects`, latencyMs };
      url = next;
      continue;
    }
    if (once.tooLarge) return { answered: true, status: once.status, body: null, reason: `answer larger than ${limits.maxBytes} bytes`, latencyMs };
    return { answered: true, status: once.status, body: once.body ?? '', contentType: once.contentType, latencyMs };
  }
}
