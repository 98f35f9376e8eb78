/**
 * Docker Hub's v2 API: a namespace's repositories, one repository, its tags. Pages are followed through
 * their `next` URL only while it stays on the configured API origin (a `next` is remote data), and only up
 * to a fixed number of pages. Answers are returned as untyped JSON; records.ts reads them defensively.
 */
import { HttpError, jsonOf, shortUrl, type PoliteHttp } from '../http/polite.js';

export const DOCKER_HUB_API = 'https://hub.docker.com';

/** Pages read per listing: 20 pages of 100 repositories. */
const MAX_LISTING_PAGES = 20;
/** Pages read for tags (Docker Hub may answer with fewer per page than asked). */
const MAX_TAG_PAGES = 10;
const PAGE_SIZE = 100;
/** A JSON page bigger than this is not an API page. */
const MAX_PAGE_BYTES = 8 * 1024 * 1024;

export type Hub = {
  /** Names ("namespace/name") of the public repositories of a namespace; throws when the listing fails. */
  listNamespace(namespace: string): Promise<string[]>;
  /** A repository's JSON; null when Docker Hub says it does not exist (404). */
  repository(name: string): Promise<unknown | null>;
  /** The newest tags (first page by last update) and the total count Docker Hub reports. */
  tags(name: string, wanted: number): Promise<{ results: unknown[]; count: number | null }>;
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function createHub(http: PoliteHttp, baseUrl = DOCKER_HUB_API): Hub {
  const origin = new URL(baseUrl).origin;
  const root = baseUrl.replace(/\/+$/, '');
  const path = (name: string) => name.split('/').map(encodeURIComponent).join('/');

  async function page(url: string): Promise<Record<string, unknown> | null> {
    const response = await http.get(url, { headers: { accept: 'application/json' }, maxBytes: MAX_PAGE_BYTES });
    if (response.status === 404) return null;
    if (response.status !== 200) throw new HttpError(`Docker Hub ${shortUrl(url)}: HTTP ${response.status}`, response.status);
    const data = jsonOf(response);
    if (!isObject(data)) throw new HttpError(`Docker Hub ${shortUrl(url)}: the answer is not a JSON object`, response.status);
    return data;
  }

  /** Each page's results, following `next` on our own origin, at most `maxPages` pages. */
  async function* pages(first: string, maxPages: number): AsyncGenerator<Record<string, unknown>> {
    let url: string | null = first;
    for (let count = 0; url && count < maxPages; count += 1) {
      const data = await page(url);
      if (!data) throw new HttpError(`Docker Hub ${shortUrl(url)}: not found (404)`, 404);
      yield data;
      const next: unknown = data.next;
      if (typeof next !== 'string' || !next) return;
      let nextUrl: URL;
      try {
        nextUrl = new URL(next, url);
      } catch {
        throw new HttpError(`Docker Hub ${shortUrl(url)}: "next" is not a URL`, null);
      }
      if (nextUrl.origin !== origin) throw new HttpError(`Docker Hub ${shortUrl(url)}: "next" points off the API (${nextUrl.origin}); the listing is not trusted`, null);
      url = nextUrl.href;
    }
  }

  return {
    async listNamespace(namespace) {
      const names: string[] = [];
      for await (const data of pages(`${root}/v2/namespaces/${encodeURIComponent(namespace)}/repositories?page_size=${PAGE_SIZE}&ordering=name`, MAX_LISTING_PAGES)) {
        if (!Array.isArray(data.results)) throw new HttpError(`Docker Hub namespace ${namespace}: a page without "results"`, null);
        for (const item of data.results) {
          if (!isObject(item) || typeof item.name !== 'string' || item.is_private === true) continue;
          names.push(`${namespace}/${item.name}`);
        }
      }
      return [...new Set(names)].sort();
    },
    async repository(name) {
      return page(`${root}/v2/repositories/${path(name)}`);
    },
    async tags(name, wanted) {
      const results: unknown[] = [];
      let count: number | null = null;
      for await (const data of pages(`${root}/v2/repositories/${path(name)}/tags?page_size=${PAGE_SIZE}&ordering=last_updated`, MAX_TAG_PAGES)) {
        if (!Array.isArray(data.results)) throw new HttpError(`Docker Hub tags of ${name}: a page without "results"`, null);
        if (count === null && typeof data.count === 'number') count = data.count;
        results.push(...data.results);
        if (results.length >= wanted) break;
      }
      return { results, count };
    },
  };
}
