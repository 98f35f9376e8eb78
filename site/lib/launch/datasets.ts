/**
 * Turns what a user or an archive hands us (a URL, a DOI, a TAP query, a Rucio DID URL) into a contract
 * `Dataset`, or a clear refusal. Pure; used by the cart page (`/cart/?add=…`, the add form, import).
 */
import { Dataset, Doi, HOST_CLASS_LABELS, RucioDid, checkWebUrl, classifyHost, type DatasetKind } from '../../../catalog/contract/index.js';
import { safeWebUrl } from './safe-url.js';

export type Classified = { ok: true; dataset: Dataset } | { ok: false; error: string };

/**
 * Loopback, private and link-local hosts a site build accepts in data set URLs: `IDA_PRIVATE_DATA_HOSTS`, a
 * comma-separated list of `host` (any port) or `host:port`, for an intranet or test deployment. Everywhere
 * else the cart refuses such hosts: any web page can send a user a `/cart/?add=` link, and a staging service
 * that fetched it would be reaching into its own network for a stranger.
 */
export type PrivateDataHost = { hostname: string; port: string | null };

/** Parses `IDA_PRIVATE_DATA_HOSTS`; throws with the entry and what to write when one is not a host or host:port. */
export function parsePrivateDataHosts(text: string | undefined): PrivateDataHost[] {
  const hosts: PrivateDataHost[] = [];
  for (const entry of (text ?? '').split(',').map((item) => item.trim()).filter(Boolean)) {
    const match = entry.match(/^(\[[0-9a-f:.]+\]|[^\s/:?#@[\]]+)(?::(\d{1,5}))?$/i);
    let hostname: string | null = null;
    try {
      if (match) hostname = new URL(`http://${match[1]}/`).hostname;
    } catch {
      hostname = null;
    }
    if (!match || !hostname || (match[2] !== undefined && Number(match[2]) > 65535)) {
      throw new Error(`IDA_PRIVATE_DATA_HOSTS: "${entry}" is not a host or host:port; write e.g. IDA_PRIVATE_DATA_HOSTS=127.0.0.1:8080,data.intranet`);
    }
    hosts.push({ hostname, port: match[2] === undefined ? null : String(Number(match[2])) });
  }
  return hosts;
}

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' };

/** Why a data set URL's host is refused (loopback, private, link-local, reserved and not allowed), or null. */
export function privateHostRefusal(url: URL, allowed: readonly PrivateDataHost[] = []): string | null {
  const place = classifyHost(url.hostname);
  if (place === 'public') return null;
  const port = url.port || DEFAULT_PORTS[url.protocol] || '';
  if (allowed.some((host) => host.hostname === url.hostname && (host.port === null || host.port === port))) return null;
  return `${url.host} is ${HOST_CLASS_LABELS[place]}, and data set links to loopback, private and link-local hosts are refused: any web page can send you such a link, and a staging service would fetch it from inside its own network. Give the data set's public address (an intranet deployment of this site can allow its hosts with IDA_PRIVATE_DATA_HOSTS).`;
}

const DOI_RESOLVERS = new Set(['doi.org', 'dx.doi.org', 'www.doi.org']);
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g;

/** A title as plain, single-line text: controls and bidi overrides removed, whitespace collapsed, capped. */
export function cleanTitle(value: unknown): string {
  if (typeof value !== 'string') return '';
  return value.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim().slice(0, 300).trim();
}

/** https://doi.org/ URL of a DOI; `/` stays readable, everything else that needs it is encoded. */
export function doiUrl(doi: string): string {
  return `https://doi.org/${encodeURIComponent(doi).replace(/%2F/gi, '/')}`;
}

function decodeSafely(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

function doiFrom(input: string, url: URL | null): string | null {
  let candidate: string | null = null;
  if (url && DOI_RESOLVERS.has(url.hostname.toLowerCase())) candidate = decodeSafely(url.pathname.slice(1));
  else if (!url) candidate = input.replace(/^doi:\s*/i, '');
  if (candidate === null) return null;
  return Doi.safeParse(candidate).success ? candidate : null;
}

/** Rucio WebUI `…/did?scope=S&name=N`, REST `…/dids/S/N`, `…/replicas/S/N` → "S:N". */
function rucioDidFrom(url: URL): string | null {
  const scope = url.searchParams.get('scope');
  const name = url.searchParams.get('name');
  let did: string | null = null;
  if (scope && name && /\/did\/?$/i.test(url.pathname)) did = `${scope}:${name}`;
  const rest = url.pathname.match(/\/(?:dids|replicas)\/([^/]+)\/(.+?)\/?$/);
  if (!did && rest) {
    const [restScope, restName] = [decodeSafely(rest[1]!), decodeSafely(rest[2]!)];
    if (restScope && restName) did = `${restScope}:${restName}`;
  }
  return did && RucioDid.safeParse(did).success ? did : null;
}

/** An IVOA TAP request: a sync/async endpoint carrying an ADQL query, or REQUEST=doQuery. */
function isTapQuery(url: URL): boolean {
  const params = new Map([...url.searchParams].map(([key, value]) => [key.toUpperCase(), value]));
  const endpoint = /\/(?:sync|async)\/?$/i.test(url.pathname);
  return (endpoint && params.has('QUERY')) || params.get('REQUEST')?.toLowerCase() === 'doquery';
}

function defaultTitle(kind: DatasetKind, url: URL, id: string | undefined): string {
  if (id) return kind === 'doi' ? `DOI ${id}` : `Rucio ${id}`;
  if (kind === 'tap') return `TAP query on ${url.hostname}`;
  const last = url.pathname.split('/').filter(Boolean).at(-1);
  return cleanTitle((last && decodeSafely(last)) || url.hostname) || url.hostname;
}

function describeRefusal(input: string): string {
  const scheme = input.match(/^([a-z][a-z0-9+.-]*):/i)?.[1]?.toLowerCase();
  if (input.startsWith('//')) return 'A protocol-relative link (starting with //) was refused: give the full https:// URL.';
  if (scheme && scheme !== 'http' && scheme !== 'https') {
    if (/^[A-Za-z0-9_.-]{1,30}:[^/]/.test(input) && RucioDid.safeParse(input).success)
      return `"${input}" looks like a Rucio DID: add the link to it on your Rucio server (…/did?scope=…&name=…) so the cart knows which Rucio to ask.`;
    return `Only http(s) links can be added; a "${scheme}:" link was refused.`;
  }
  if (/^https?:/i.test(input)) {
    if (/[\u0000-\u0020\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/.test(input))
      return 'The link contains spaces, line breaks or invisible characters and was refused.';
    if (/^https?:\/\/[^/?#]*@/i.test(input)) return 'Links carrying a user name or password are refused.';
    const verdict = checkWebUrl(input);
    if (!verdict.ok) return `The link was refused: ${verdict.message}.`;
  }
  return `"${cleanTitle(input).slice(0, 80)}" is not a link, a DOI or a Rucio DID link; give a full https:// URL.`;
}

/**
 * Classifies a data reference. A title is optional; a sensible one is derived when absent. A host that is not
 * public is refused unless `privateHosts` (the build's IDA_PRIVATE_DATA_HOSTS) lists it.
 */
export function classifyDataset(input: unknown, title?: unknown, privateHosts: readonly PrivateDataHost[] = []): Classified {
  if (typeof input !== 'string' || input.trim() === '') return { ok: false, error: 'No data set link was given.' };
  const raw = input.trim();
  if (raw.length > 2048) return { ok: false, error: 'The link is longer than 2048 characters and was refused.' };
  const url = safeWebUrl(raw);
  const doi = doiFrom(raw, url);
  let candidate: { url: string; kind: DatasetKind; id?: string } | null = null;
  if (doi) candidate = { url: doiUrl(doi), kind: 'doi', id: doi };
  else if (url) {
    const did = rucioDidFrom(url);
    if (did) candidate = { url: url.href, kind: 'rucio', id: did };
    else candidate = { url: url.href, kind: isTapQuery(url) ? 'tap' : 'url' };
  }
  if (!candidate) return { ok: false, error: describeRefusal(raw) };
  const parsedUrl = new URL(candidate.url);
  const refusal = privateHostRefusal(parsedUrl, privateHosts);
  if (refusal) return { ok: false, error: refusal };
  const dataset = { ...candidate, title: cleanTitle(title) || defaultTitle(candidate.kind, parsedUrl, candidate.id) };
  const checked = Dataset.safeParse(dataset);
  if (!checked.success) return { ok: false, error: `The data set was refused: ${checked.error.issues[0]!.message}` };
  return { ok: true, dataset: checked.data };
}

/** The first data set of a cart (an imported file, say) whose host is refused, with why; null when all are fine. */
export function refusedDataset(datasets: readonly Dataset[], privateHosts: readonly PrivateDataHost[] = []): string | null {
  for (const dataset of datasets) {
    const url = safeWebUrl(dataset.url);
    const refusal = url ? privateHostRefusal(url, privateHosts) : `${dataset.url} is not a link the site accepts.`;
    if (refusal) return `“${cleanTitle(dataset.title)}”: ${refusal}`;
  }
  return null;
}

export const DATASET_KIND_LABELS: Record<DatasetKind, string> = {
  url: 'Link',
  doi: 'DOI',
  tap: 'TAP query',
  rucio: 'Rucio DID',
};
