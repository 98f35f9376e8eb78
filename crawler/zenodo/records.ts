/**
 * Zenodo's answers, read defensively: the records search page (`hits.hits`, `links.next`) and each record's
 * fields in the shape zenodo.org serves them (its legacy-compatible JSON: `metadata.creators[].name`,
 * `metadata.license.id`, `metadata.related_identifiers[]`, `files[].key` with `links.self`). A malformed
 * field is dropped, not the record; a record without an id or a DOI is reported, not the page.
 */
import { z } from 'zod';
import { Doi } from '../../catalog/contract/index.js';
import { keywordList } from '../extract/citation.js';
import { normaliseLicense } from '../extract/license.js';
import { htmlToText } from '../extract/text.js';

const SearchPage = z.object({
  hits: z.object({ hits: z.array(z.unknown()) }),
  links: z.object({ next: z.string().optional().catch(undefined) }).passthrough().optional().catch(undefined),
});

/** One page of `GET /api/records`: the raw hits and the next page's URL. */
export function parseSearchPage(body: unknown): { hits: unknown[]; next: string | null } | { error: string } {
  const page = SearchPage.safeParse(body);
  if (!page.success) return { error: `the search answer has no hits.hits list (${page.error.issues[0]?.path.join('.') || 'top level'}: ${page.error.issues[0]?.message})` };
  return { hits: page.data.hits.hits, next: page.data.links?.next ?? null };
}

const text = z.string().optional().catch(undefined);
const list = z.array(z.unknown()).optional().catch(undefined);

const Hit = z.object({
  id: z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,20}$/)]),
  doi: text,
  conceptdoi: text,
  metadata: z
    .object({
      title: text,
      doi: text,
      creators: list,
      license: z.object({ id: z.string() }).passthrough().optional().catch(undefined),
      keywords: list,
      description: text,
      related_identifiers: list,
    })
    .passthrough(),
  files: list,
  links: z.object({ self_html: text, html: text }).passthrough().optional().catch(undefined),
});

/** What the crawler keeps of a record. */
export type ZenodoRecord = {
  id: string;
  /** The concept DOI (every version) when there is one, else the version's DOI. */
  doi: string;
  title: string;
  authors: string[];
  license: string | null;
  keywords: string[];
  /** Plain text (the record's description is HTML). */
  description: string | null;
  /** `isSupplementTo` links with scheme url: where Zenodo's GitHub integration names the repository. */
  supplementTo: string[];
  /** The record's `codemeta.json` file, when it has one. */
  codemeta: { url: string; size: number | null } | null;
};

/** A record, or why it cannot be used (naming it by id when it has one). */
export function parseRecord(hit: unknown): { record: ZenodoRecord } | { error: string } {
  const parsed = Hit.safeParse(hit);
  const idOf = (value: unknown) => (value && typeof value === 'object' && 'id' in value ? String((value as { id: unknown }).id).slice(0, 40) : '?');
  if (!parsed.success) return { error: `record ${idOf(hit)}: not a Zenodo record (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message})` };
  const { id, metadata } = parsed.data;
  const doi = [parsed.data.conceptdoi, parsed.data.doi, metadata.doi].find((value) => value !== undefined && Doi.safeParse(value.trim()).success)?.trim();
  if (!doi) return { error: `record ${id}: has no DOI` };
  const title = plain(metadata.title ?? '', 300) || `Zenodo record ${id}`;
  return {
    record: {
      id: String(id),
      doi,
      title,
      authors: creators(metadata.creators ?? []),
      license: zenodoLicense(metadata.license?.id),
      keywords: keywordList(metadata.keywords ?? []).map((keyword) => plain(keyword, 200)).filter(Boolean),
      description: plain(metadata.description ?? '', 2000) || null,
      supplementTo: supplementLinks(metadata.related_identifiers ?? []),
      codemeta: codemetaFile(parsed.data.files ?? []),
    },
  };
}

function plain(value: string, max: number): string {
  return htmlToText(value).slice(0, max).trim();
}

function creators(list: unknown[]): string[] {
  const names: string[] = [];
  for (const creator of list) {
    const name = creator && typeof creator === 'object' ? (creator as { name?: unknown }).name : undefined;
    const clean = typeof name === 'string' ? plain(name, 200) : '';
    if (clean && !names.includes(clean)) names.push(clean);
  }
  return names;
}

function supplementLinks(list: unknown[]): string[] {
  const links: string[] = [];
  for (const item of list) {
    if (!item || typeof item !== 'object') continue;
    const { identifier, relation, scheme } = item as Record<string, unknown>;
    if (relation === 'isSupplementTo' && scheme === 'url' && typeof identifier === 'string') links.push(identifier);
  }
  return links;
}

function codemetaFile(files: unknown[]): ZenodoRecord['codemeta'] {
  for (const file of files) {
    if (!file || typeof file !== 'object') continue;
    const { key, size, links } = file as Record<string, unknown>;
    const self = links && typeof links === 'object' ? (links as { self?: unknown }).self : undefined;
    if (key === 'codemeta.json' && typeof self === 'string') return { url: self, size: typeof size === 'number' ? size : null };
  }
  return null;
}

/**
 * Zenodo's licence ids are lower-case SPDX ids ("cc-by-4.0", "mit") or, on older records, Open Definition ids
 * ("mit-license", "cc-zero"): the SPDX spelling of the common ones, else what `normaliseLicense` makes of it.
 */
const ZENODO_LICENSES: Record<string, string> = {
  'cc-by-4.0': 'CC-BY-4.0',
  'cc-by-sa-4.0': 'CC-BY-SA-4.0',
  'cc-by-nc-4.0': 'CC-BY-NC-4.0',
  'cc0-1.0': 'CC0-1.0',
  'cc-zero': 'CC0-1.0',
  mit: 'MIT',
  'mit-license': 'MIT',
  'apache-2.0': 'Apache-2.0',
  'apache2.0': 'Apache-2.0',
  'bsd-3-clause': 'BSD-3-Clause',
  'bsd-2-clause': 'BSD-2-Clause',
  'bsd-license': 'BSD-3-Clause',
  'gpl-3.0': 'GPL-3.0',
  'gpl-3.0-only': 'GPL-3.0-only',
  'gpl-3.0-or-later': 'GPL-3.0-or-later',
  'gpl-2.0': 'GPL-2.0',
  'lgpl-3.0': 'LGPL-3.0',
  'agpl-3.0': 'AGPL-3.0',
  'mpl-2.0': 'MPL-2.0',
};

export function zenodoLicense(id: unknown): string | null {
  if (typeof id !== 'string') return null;
  return ZENODO_LICENSES[id.trim().toLowerCase()] ?? normaliseLicense(id);
}
