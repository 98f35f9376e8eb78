/**
 * Turns what a user or an archive hands us (a URL, a DOI, a TAP query, a Rucio DID URL) into a contract
 * `Dataset`, or a clear refusal. Pure; used by the cart page (`/cart/?add=…`, the add form, import).
 */
import { Dataset, Doi, RucioDid, type DatasetKind } from '../../../catalog/contract/index.js';
import { safeWebUrl } from './safe-url.js';

export type Classified = { ok: true; dataset: Dataset } | { ok: false; error: string };

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
  }
  return `"${cleanTitle(input).slice(0, 80)}" is not a link, a DOI or a Rucio DID link; give a full https:// URL.`;
}

/** Classifies a data reference. A title is optional; a sensible one is derived when absent. */
export function classifyDataset(input: unknown, title?: unknown): Classified {
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
  const dataset = { ...candidate, title: cleanTitle(title) || defaultTitle(candidate.kind, parsedUrl, candidate.id) };
  const checked = Dataset.safeParse(dataset);
  if (!checked.success) return { ok: false, error: `The data set was refused: ${checked.error.issues[0]!.message}` };
  return { ok: true, dataset: checked.data };
}

export const DATASET_KIND_LABELS: Record<DatasetKind, string> = {
  url: 'Link',
  doi: 'DOI',
  tap: 'TAP query',
  rucio: 'Rucio DID',
};
