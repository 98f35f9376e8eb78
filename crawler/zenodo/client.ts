/**
 * The Zenodo REST client: the crawler's polite GET (crawler/http/polite.ts: in-flight bound, rate-limit waits
 * and holds, retries, timeouts, byte caps) confined to the configured API base, and read as JSON. Only URLs
 * under the base are fetched: a `links.next` or file link pointing anywhere else is refused, and redirects
 * are followed by hand, each hop checked the same way.
 */
import { createPoliteHttp, HttpError, jsonOf, type PoliteOptions, type PoliteStats } from '../http/polite.js';

export type ZenodoClientOptions = PoliteOptions & {
  /** ZENODO_API_URL: the API root, default https://zenodo.org/api (tests: the loopback server). */
  baseUrl?: string;
};

export type Zenodo = {
  /** The API root, without a trailing slash. */
  baseUrl: string;
  /** GET a JSON document of at most `maxBytes`. */
  getJson(url: string, maxBytes: number): Promise<unknown>;
  stats: PoliteStats;
};

export const DEFAULT_ZENODO_API = 'https://zenodo.org/api';
const MAX_REDIRECTS = 3;

export function createZenodo(options: ZenodoClientOptions = {}): Zenodo {
  const baseUrl = (options.baseUrl ?? DEFAULT_ZENODO_API).replace(/\/+$/, '');
  const base = new URL(`${baseUrl}/`);
  // Zenodo asks for a gentler pace than Docker Hub: two at once, and a shorter longest wait.
  const http = createPoliteHttp('Zenodo', { maxInFlight: 2, maxWaitSeconds: 120, ...options });
  const underBase = (url: URL) => url.origin === base.origin && url.pathname.startsWith(base.pathname) && !url.username && !url.password;

  async function getJson(text: string, maxBytes: number): Promise<unknown> {
    let url: URL;
    try {
      url = new URL(text, base);
    } catch {
      throw new HttpError(`Zenodo gave a link that is not a URL: ${JSON.stringify(text.slice(0, 200))}`, null);
    }
    if (!underBase(url)) throw new HttpError(`refusing ${describeUrl(url)}: not under the Zenodo API at ${baseUrl}`, null);
    let current = url;
    for (let hop = 0; ; hop += 1) {
      const response = await http.get(current.href, { maxBytes, redirect: 'manual', headers: { accept: 'application/json' } });
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location !== null) {
        const next = new URL(location, current);
        if (!underBase(next)) throw new HttpError(`Zenodo redirected ${describeUrl(current)} to ${next.origin}, outside the API at ${base.origin}; not followed`, response.status);
        if (hop >= MAX_REDIRECTS) throw new HttpError(`Zenodo redirected ${describeUrl(url)} more than ${MAX_REDIRECTS} times`, response.status);
        current = next;
        continue;
      }
      if (response.status !== 200) throw new HttpError(`Zenodo ${describeUrl(current)}: HTTP ${response.status}`, response.status);
      return jsonOf(response);
    }
  }

  return { baseUrl, getJson, stats: http.stats };
}

/** Path and query only, capped: enough to name a request in a message. */
function describeUrl(url: URL): string {
  return `${url.pathname}${url.search}`.slice(0, 300);
}
