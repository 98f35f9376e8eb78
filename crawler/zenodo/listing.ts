/**
 * Which repositories a Zenodo source names: every record of the community with one of the keywords
 * (`GET /api/records?communities=…&q=keywords:"…"`, following `links.next`), each with its `codemeta.json`
 * when it has one. A record becomes an archive of a code repository, with the DOI, authors, licence and
 * keywords of the record and its codemeta; a record that names no repository git can reach is skipped, and
 * the source's summary says which and why.
 */
import { repositoryKey, type ZenodoSource } from '../../catalog/contract/index.js';
import { fromCodemeta } from '../extract/citation.js';
import { HttpError } from '../http/polite.js';
import type { ZenodoArchive } from './archive.js';
import type { Zenodo } from './client.js';
import { parseRecord, parseSearchPage, type ZenodoRecord } from './records.js';
import { repositoryUrl } from './repository-url.js';

export type ZenodoListing = { archives: ZenodoArchive[]; warnings: string[]; errors: string[] };

/** Records per page: what zenodo.org serves anonymous clients. */
export const PAGE_SIZE = 25;
/** At most this many pages (1,000 records) per source: a runaway `links.next` cannot loop a crawl. */
export const MAX_PAGES = 40;
/** A search page and a codemeta.json are small; anything larger is not what we asked for. */
export const MAX_PAGE_BYTES = 8 * 1024 * 1024;
export const MAX_CODEMETA_BYTES = 256 * 1024;

export function searchUrl(zenodo: Zenodo, target: ZenodoSource['zenodo']): string {
  const params = new URLSearchParams({ communities: target.community });
  if (target.keywords?.length) params.set('q', target.keywords.map((keyword) => `keywords:"${keyword}"`).join(' OR '));
  // Oldest first: records published during the crawl land on the last page instead of shifting every page.
  params.set('sort', 'oldest');
  params.set('size', String(PAGE_SIZE));
  params.set('page', '1');
  return `${zenodo.baseUrl}/records?${params.toString()}`;
}

/**
 * The archives a Zenodo source names. A page that cannot be read fails the whole listing (a partial list is
 * no evidence that the rest is gone); so does a codemeta.json that fails for a reason that may pass.
 */
export async function listZenodoSource(zenodo: Zenodo, sourceId: string, target: ZenodoSource['zenodo']): Promise<ZenodoListing> {
  const warnings: string[] = [];
  const errors: string[] = [];
  const records: ZenodoRecord[] = [];
  const seenPages = new Set<string>();
  let url: string | null = searchUrl(zenodo, target);
  for (let count = 0; url !== null; count += 1) {
    if (count >= MAX_PAGES) {
      warnings.push(`more than ${MAX_PAGES} pages of records; the first ${MAX_PAGES * PAGE_SIZE} are catalogued`);
      break;
    }
    if (seenPages.has(url)) throw new HttpError(`Zenodo's links.next points back at a page already read (${url.slice(0, 200)})`, null);
    seenPages.add(url);
    const page = parseSearchPage(await zenodo.getJson(url, MAX_PAGE_BYTES));
    if ('error' in page) throw new HttpError(`Zenodo records page ${count + 1}: ${page.error}`, null);
    for (const hit of page.hits) {
      const parsed = parseRecord(hit);
      if ('error' in parsed) errors.push(parsed.error);
      else records.push(parsed.record);
    }
    url = page.hits.length > 0 ? page.next : null;
  }

  records.sort((a, b) => Number(a.id) - Number(b.id));
  const archives: ZenodoArchive[] = [];
  const byKey = new Map<string, ZenodoArchive>();
  const described = await Promise.all(records.map((record) => archiveOf(zenodo, sourceId, record, warnings, errors)));
  for (const archive of described) {
    if (!archive) continue;
    const first = byKey.get(repositoryKey(archive.repository));
    if (first) {
      warnings.push(`record ${archive.recordId} (${archive.doi}) names ${archive.repository}, as record ${first.recordId} does: catalogued once, with ${first.doi}`);
      continue;
    }
    byKey.set(repositoryKey(archive.repository), archive);
    archives.push(archive);
  }
  return { archives, warnings, errors };
}

/** A record with its codemeta.json read, as an archive; null (and a line saying why) when it names no reachable repository. */
async function archiveOf(zenodo: Zenodo, sourceId: string, record: ZenodoRecord, warnings: string[], errors: string[]): Promise<ZenodoArchive | null> {
  const name = `record ${record.id} (${record.doi}) "${record.title.slice(0, 80)}"`;
  let codemeta: ReturnType<typeof fromCodemeta> | null = null;
  let codeRepository: unknown;
  if (record.codemeta) {
    try {
      if (record.codemeta.size !== null && record.codemeta.size > MAX_CODEMETA_BYTES) throw new HttpError(`codemeta.json is ${record.codemeta.size} bytes, over the ${MAX_CODEMETA_BYTES}-byte cap`, null);
      const document = await zenodo.getJson(record.codemeta.url, MAX_CODEMETA_BYTES);
      codemeta = fromCodemeta(document);
      codeRepository = document && typeof document === 'object' ? (document as { codeRepository?: unknown }).codeRepository : undefined;
      if (Array.isArray(codeRepository)) codeRepository = codeRepository.find((item) => typeof item === 'string');
    } catch (error) {
      if (error instanceof HttpError && error.transient) throw error;
      errors.push(`${name}: its codemeta.json is not used: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const candidates: { text: unknown; anyHost: boolean; from: string }[] = [
    ...(codeRepository !== undefined ? [{ text: codeRepository, anyHost: true, from: 'codemeta.json codeRepository' }] : []),
    ...record.supplementTo.map((text) => ({ text, anyHost: false, from: 'isSupplementTo link' })),
  ];
  const refused: string[] = [];
  let repository: string | null = null;
  for (const candidate of candidates) {
    const verdict = repositoryUrl(candidate.text, candidate.anyHost);
    if (verdict.ok) {
      repository = verdict.url;
      break;
    }
    refused.push(`${candidate.from}: ${verdict.reason}`);
  }
  if (!repository) {
    const why = refused.length > 0 ? refused.join('; ') : 'no codemeta.json codeRepository and no isSupplementTo link';
    warnings.push(`${name} names no code repository git can reach (${why}); not catalogued`);
    return null;
  }
  return {
    sourceId,
    recordId: record.id,
    doi: record.doi,
    title: record.title,
    authors: codemeta?.authors.length ? codemeta.authors : record.authors,
    license: codemeta?.license ?? record.license,
    keywords: [...new Set([...record.keywords, ...(codemeta?.keywords ?? [])])],
    description: record.description ?? codemeta?.description ?? null,
    repository,
  };
}
