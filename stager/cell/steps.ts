/**
 * What a staging cell does, decided once for every language: the checked target folder and one step per
 * data set. The language modules only write these steps down; every decision about untrusted values
 * (which URL, which file name, which DID) is made here.
 */
import { RucioDid, type Dataset } from '../../catalog/contract/index.js';
import { checkValue, commentText } from './literals.js';

export type StagingPlan = { into: string; datasets: readonly Dataset[] };

type Titled = { title: string };
export type Step = Titled &
  (
    | { kind: 'download'; url: string; name: string }
    /** `url` is the sync request; `service`/`query` are set when the URL could be split for a TAP client. */
    | { kind: 'tap'; url: string; name: string; service: string | null; query: string | null; maxrec: number | null }
    | { kind: 'zenodo'; api: string; doi: string; url: string }
    | { kind: 'link'; url: string; doi: string }
    | { kind: 'rucio'; did: string; url: string }
  );

export type Staging = { into: string; steps: Step[] };

const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/**
 * The target folder, relative to the user's home: refused when absolute, with `..` segments, backslashes
 * or control characters, so the cell can never write outside the home. Empty and `.` segments are dropped.
 */
export function checkInto(into: string): string {
  const problem = (what: string) => new Error(`staging folder ${JSON.stringify(into)}: ${what}`);
  if (typeof into !== 'string') throw new Error('staging folder: not a string');
  if (into.length > 1024) throw problem('longer than 1024 characters');
  if (into.startsWith('/') || into.startsWith('~')) throw problem('must be relative to the home folder, not absolute');
  if (into.includes('\\')) throw problem('contains a backslash');
  if (INVISIBLE.test(into)) throw problem('contains control or invisible characters');
  checkValue(into, 'staging folder');
  const parts = into.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.includes('..')) throw problem('contains a ".." segment');
  if (parts.length === 0) throw problem('names no folder inside the home');
  return parts.join('/');
}

function checkUrl(url: string, index: number): string {
  if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) throw new Error(`data set ${index + 1}: only http(s) URLs can be staged`);
  return checkValue(url, `data set ${index + 1}'s URL`);
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const MAX_NAME = 120;

/** A file name with nothing but ASCII letters, digits and `._+-`, no leading dot or dash, at most 120 characters. */
export function safeFileName(raw: string, fallback: string): string {
  let name = raw.replace(/[^A-Za-z0-9._+-]/g, '_').replace(/^[.-]+/, '');
  if (name.length > MAX_NAME) {
    const ext = name.match(/\.[A-Za-z0-9]{1,10}$/)?.[0] ?? '';
    name = name.slice(0, MAX_NAME - ext.length) + ext;
  }
  return name === '' || /^_+$/.test(name) ? fallback : name;
}

/** The last segment of the URL's path, percent-decoded and made safe. */
export function urlFileName(url: string, fallback: string): string {
  const path = url.replace(/^https?:\/\/[^/?#]*/i, '').replace(/[?#][\s\S]*$/, '');
  const last = path.split('/').filter(Boolean).at(-1) ?? '';
  return safeFileName(decoded(last), fallback);
}

/** `name`, or `stem-2.ext`, `stem-3.ext`… when a previous step already took it. */
function unique(name: string, taken: Set<string>): string {
  let candidate = name;
  for (let n = 2; taken.has(candidate); n++) {
    const dot = name.lastIndexOf('.');
    candidate = dot > 0 ? `${name.slice(0, dot)}-${n}${name.slice(dot)}` : `${name}-${n}`;
  }
  taken.add(candidate);
  return candidate;
}

/** A TAP request split for a TAP client, and its synchronous form (an `/async` endpoint becomes `/sync`). */
function tapRequest(url: string): { sync: string; service: string | null; query: string | null; maxrec: number | null } {
  const unsplit = { sync: url, service: null, query: null, maxrec: null };
  // The URL parser drops tabs and line breaks and trims spaces: such a URL is fetched exactly as given.
  if (/[\u0000-\u0020\u007f]/.test(url)) return unsplit;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return unsplit;
  }
  const endpoint = parsed.pathname.match(/^(.*)\/(sync|async)\/?$/i);
  const params = new Map([...parsed.searchParams].map(([key, value]) => [key.toUpperCase(), value]));
  const sync = endpoint?.[2]?.toLowerCase() === 'async' ? url.replace(/\/async(\/?)(?=[?#]|$)/i, '/sync$1') : url;
  const query = params.get('QUERY') ?? null;
  const adql = (params.get('LANG') ?? 'ADQL').toUpperCase().startsWith('ADQL');
  if (!endpoint || query === null || !adql) {
    return { ...unsplit, sync };
  }
  const maxrec = /^\d{1,9}$/.test(params.get('MAXREC') ?? '') ? Number(params.get('MAXREC')) : null;
  return { sync, service: `${parsed.origin}${endpoint[1]}`, query, maxrec };
}

const ZENODO_DOI = /^10\.5281\/zenodo\.(\d{1,12})$/i;

export function stagingSteps(plan: StagingPlan): Staging {
  const into = checkInto(plan.into);
  if (plan.datasets.length === 0) throw new Error('no data sets to stage');
  const taken = new Set<string>();
  const steps = plan.datasets.map((dataset, index): Step => {
    const url = checkUrl(dataset.url, index);
    const title = commentText(String(dataset.title ?? '')) || `data set ${index + 1}`;
    switch (dataset.kind) {
      case 'url':
        return { kind: 'download', title, url, name: unique(urlFileName(url, `dataset-${index + 1}`), taken) };
      case 'tap': {
        const { sync, service, query, maxrec } = tapRequest(url);
        return { kind: 'tap', title, url: sync, name: unique(`tap-result-${index + 1}.xml`, taken), service, query, maxrec };
      }
      case 'doi': {
        const doi = checkValue(String(dataset.id ?? ''), `data set ${index + 1}'s DOI`);
        if (!/^10\.\d{4,9}\//.test(doi)) throw new Error(`data set ${index + 1}: a "doi" data set needs its DOI in \`id\``);
        const record = doi.match(ZENODO_DOI)?.[1];
        return record ? { kind: 'zenodo', title, api: `https://zenodo.org/api/records/${record}`, doi, url } : { kind: 'link', title, url, doi };
      }
      case 'rucio': {
        const did = String(dataset.id ?? '');
        if (!RucioDid.safeParse(did).success) throw new Error(`data set ${index + 1}: ${JSON.stringify(did)} is not a Rucio DID "scope:name"`);
        return { kind: 'rucio', title, did, url };
      }
      default:
        throw new Error(`data set ${index + 1}: unknown kind ${JSON.stringify((dataset as { kind: unknown }).kind)}`);
    }
  });
  return { into, steps };
}
