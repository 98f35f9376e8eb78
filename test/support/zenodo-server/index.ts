/**
 * A loopback Zenodo (node:http on 127.0.0.1) speaking the two routes the crawler uses, in the shapes
 * zenodo.org serves them (its legacy-compatible records JSON, zenodo-rdm's `legacy/serializers`):
 * `GET /api/records?communities=…&q=keywords:"…"&size=…&page=…` → `{hits: {hits, total}, aggregations,
 * links: {self, next}}`, and `GET /api/records/<id>/files/<key>/content` → the file's bytes. Every answer
 * carries `x-ratelimit-limit/-remaining/-reset`; page sizes are capped as zenodo.org caps them for anonymous
 * clients; faults (429 with retry-after, 5xx, garbage JSON, a foreign `links.next`) are injected on demand.
 */
import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeZenodoRecord = {
  id: number;
  /** The concept (all versions) record id; default id - 1. */
  conceptId?: number;
  title: string;
  communities: string[];
  keywords?: string[];
  creators?: { name: string; orcid?: string; affiliation?: string | null }[];
  license?: string;
  /** HTML, as Zenodo stores it. */
  description?: string;
  /** isSupplementTo URLs (what Zenodo's GitHub integration writes). */
  supplementTo?: string[];
  /** File key → content; an object is served as JSON. */
  files?: Record<string, string | Buffer | object>;
  /** What `files[].size` says about a file, when it should lie. */
  declaredSizes?: Record<string, number>;
  publicationDate?: string;
};

export type ZenodoFault = '429' | '500' | '502' | 'garbage' | 'foreign-next';

export type ZenodoServerOptions = {
  records?: FakeZenodoRecord[];
  /** zenodo.org caps `size` for anonymous clients; a small cap here makes paging visible. */
  maxPageSize?: number;
  retryAfter?: number;
  /** Per request (path + query, 0-based sequence): a fault to answer with, or null. */
  fault?: (url: string, sequence: number) => ZenodoFault | null;
  /** Raw hits appended to page 1 as they are (malformed records). */
  extraHits?: unknown[];
};

export type ZenodoServer = {
  url: string;
  /** The API root the crawler is given (ZENODO_API_URL). */
  api: string;
  options: ZenodoServerOptions;
  stats: { requests: number; faults: Record<string, number>; byPath: Record<string, number>; searches: string[] };
  close(): Promise<void>;
};

function md5(bytes: Buffer): string {
  return createHash('md5').update(bytes).digest('hex');
}

function fileBytes(content: string | Buffer | object): Buffer {
  if (Buffer.isBuffer(content)) return content;
  return Buffer.from(typeof content === 'string' ? content : JSON.stringify(content, null, 2));
}

/** The record as `GET /api/records` lists it. */
export function recordJson(record: FakeZenodoRecord, origin: string): Record<string, unknown> {
  const concept = record.conceptId ?? record.id - 1;
  const api = `${origin}/api/records/${record.id}`;
  const doi = `10.5281/zenodo.${record.id}`;
  const conceptDoi = `10.5281/zenodo.${concept}`;
  const metadata: Record<string, unknown> = {
    title: record.title,
    doi,
    publication_date: record.publicationDate ?? '2022-05-04',
    description: record.description ?? `<p>${record.title}</p>`,
    access_right: 'open',
    creators: (record.creators ?? []).map((creator) => ({ affiliation: null, ...creator })),
    related_identifiers: (record.supplementTo ?? []).map((identifier) => ({ identifier, relation: 'isSupplementTo', resource_type: 'software', scheme: 'url' })),
    resource_type: { title: 'Software', type: 'software' },
    communities: record.communities.map((id) => ({ id })),
    relations: { version: [{ index: 0, is_last: true, parent: { pid_type: 'recid', pid_value: String(concept) } }] },
  };
  if (record.keywords) metadata.keywords = record.keywords;
  if (record.license) metadata.license = { id: record.license };
  return {
    created: '2022-05-04T10:00:00.000000+00:00',
    modified: '2022-05-05T10:00:00.000000+00:00',
    id: record.id,
    conceptrecid: String(concept),
    doi,
    conceptdoi: conceptDoi,
    doi_url: `https://doi.org/${doi}`,
    metadata,
    title: record.title,
    links: {
      self: api,
      self_html: `${origin}/records/${record.id}`,
      doi: `https://doi.org/${doi}`,
      self_doi: `https://doi.org/${doi}`,
      parent: `${origin}/api/records/${concept}`,
      parent_doi: `https://doi.org/${conceptDoi}`,
      files: `${api}/files`,
      latest: `${api}/versions/latest`,
      latest_html: `${origin}/records/${record.id}/latest`,
    },
    updated: '2022-05-05T10:00:00.000000+00:00',
    recid: String(record.id),
    revision: 4,
    files: Object.entries(record.files ?? {}).map(([key, content]) => {
      const bytes = fileBytes(content);
      return { id: randomUUID(), key, size: record.declaredSizes?.[key] ?? bytes.length, checksum: `md5:${md5(bytes)}`, links: { self: `${api}/files/${key}/content` } };
    }),
    swh: {},
    owners: [{ id: 1 }],
    status: 'published',
    stats: { downloads: 3, unique_downloads: 3, views: 10, unique_views: 9, version_downloads: 3, version_unique_downloads: 3, version_unique_views: 9, version_views: 10 },
    state: 'done',
    submitted: true,
  };
}

/** The keywords a `q` of `keywords:"a" OR keywords:"b"` asks for; null when there is no q. */
function keywordsOf(q: string | null): string[] | null {
  if (!q) return null;
  return [...q.matchAll(/keywords:"([^"]*)"/g)].map((match) => match[1]!);
}

export async function startZenodoServer(options: ZenodoServerOptions = {}): Promise<ZenodoServer> {
  const stats: ZenodoServer['stats'] = { requests: 0, faults: {}, byPath: {}, searches: [] };
  let sequence = 0;
  let origin = '';
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', origin);
    const seq = sequence++;
    stats.requests += 1;
    stats.byPath[url.pathname] = (stats.byPath[url.pathname] ?? 0) + 1;
    const reset = Math.floor(Date.now() / 1000) + 60;
    const headers = { 'x-ratelimit-limit': '133', 'x-ratelimit-remaining': '120', 'x-ratelimit-reset': String(reset) };
    const json = (status: number, body: unknown) => {
      response.writeHead(status, { ...headers, 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    const fault = options.fault?.(`${url.pathname}${url.search}`, seq) ?? null;
    if (fault) stats.faults[fault] = (stats.faults[fault] ?? 0) + 1;
    if (fault === '429') {
      response.writeHead(429, { ...headers, 'x-ratelimit-remaining': '0', 'retry-after': String(options.retryAfter ?? 1), 'content-type': 'application/json' });
      response.end(JSON.stringify({ status: 429, message: 'Too Many Requests' }));
      return;
    }
    if (fault === '500' || fault === '502') {
      response.writeHead(Number(fault), { 'content-type': 'text/html' });
      response.end('<html><body><h1>Bad gateway</h1></body></html>');
      return;
    }
    if (fault === 'garbage') {
      response.writeHead(200, { ...headers, 'content-type': 'application/json' });
      response.end('{"hits": {"hits": [ {"id": 1, "metadata": ');
      return;
    }
    const fileRoute = /^\/api\/records\/(\d+)\/files\/([^/]+)\/content$/.exec(url.pathname);
    if (fileRoute) {
      const record = (options.records ?? []).find((r) => r.id === Number(fileRoute[1]));
      const content = record?.files?.[decodeURIComponent(fileRoute[2]!)];
      if (content === undefined) return json(404, { status: 404, message: 'The persistent identifier does not exist.' });
      const bytes = fileBytes(content);
      response.writeHead(200, { ...headers, 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) });
      response.end(bytes);
      return;
    }
    if (url.pathname !== '/api/records') return json(404, { status: 404, message: 'The requested URL was not found on the server.' });
    stats.searches.push(url.search);
    const communities = url.searchParams.get('communities');
    const wanted = keywordsOf(url.searchParams.get('q'));
    const size = Math.min(Number(url.searchParams.get('size') ?? 10), options.maxPageSize ?? 25);
    const page = Number(url.searchParams.get('page') ?? 1);
    if (!Number.isInteger(page) || page < 1 || !Number.isInteger(size) || size < 1) return json(400, { status: 400, message: 'Invalid page or size.' });
    const matching = (options.records ?? [])
      .filter((record) => !communities || record.communities.includes(communities))
      .filter((record) => !wanted || (record.keywords ?? []).some((keyword) => wanted.includes(keyword)))
      .sort((a, b) => a.id - b.id);
    const hits: unknown[] = matching.slice((page - 1) * size, page * size).map((record) => recordJson(record, origin));
    if (page === 1) hits.push(...(options.extraHits ?? []));
    const pageUrl = (n: number) => {
      const next = new URL(url.href);
      next.searchParams.set('page', String(n));
      next.searchParams.set('size', String(size));
      return next.href;
    };
    const links: Record<string, string> = { self: pageUrl(page) };
    if (page * size < matching.length) links.next = fault === 'foreign-next' ? pageUrl(page + 1).replace(origin, 'https://evil.example.com') : pageUrl(page + 1);
    if (page > 1) links.prev = pageUrl(page - 1);
    json(200, { hits: { hits, total: matching.length }, aggregations: {}, links });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    api: `${origin}/api`,
    options,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
