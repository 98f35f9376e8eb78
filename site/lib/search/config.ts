/**
 * What the search ranks and filters on. Shared by the build (which creates and exports the flexsearch
 * index) and the browser (which imports it), so both always agree on fields and options.
 */

/** Indexed fields, best first, with their weight in the combined score (title > keywords > authors > … > repository). */
export const FIELDS = [
  { field: 'title', weight: 8 },
  { field: 'keywords', weight: 5 },
  { field: 'authors', weight: 4 },
  { field: 'description', weight: 3 },
  { field: 'imports', weight: 2 },
  { field: 'repository', weight: 1 },
] as const;
export type FieldName = (typeof FIELDS)[number]['field'];

/** Facets, in display order. `key` is the URL parameter (`?language=r&keyword=fits`). */
export const FACETS = [
  { key: 'type', label: 'Type' },
  { key: 'language', label: 'Language' },
  { key: 'kernel', label: 'Kernel' },
  { key: 'keyword', label: 'Keywords' },
  { key: 'author', label: 'Authors' },
  { key: 'repository', label: 'Repository' },
  { key: 'license', label: 'Licence' },
  { key: 'environment', label: 'Environment' },
  { key: 'facility', label: 'Runs on' },
  { key: 'interface', label: 'Interface' },
] as const;
export type FacetKey = (typeof FACETS)[number]['key'];

/** The `type` facet's values: a notebook, or a curated entry's workflowType (catalog/curated.yaml). */
export const WORKFLOW_TYPE_LABELS = { notebook: 'Notebook', desktop: 'Desktop tool', container: 'Container image' } as const;

/** A doc's page, relative to the site's base: notebooks under workflows/, curated entries under curated/. */
export function docPath(doc: Pick<CompactDoc, 'id' | 'f'>, payload: Pick<SearchPayload, 'dict'>): string {
  const typeFacet = FACETS.findIndex((facet) => facet.key === 'type');
  const type = doc.f[typeFacet]?.map((index) => payload.dict.type[index]) ?? [];
  return `${type.includes(WORKFLOW_TYPE_LABELS.notebook) || type.length === 0 ? 'workflows' : 'curated'}/${doc.id}/`;
}

export const SORTS = [
  { key: 'relevance', label: 'Relevance' },
  { key: 'updated', label: 'Recently updated' },
  { key: 'stars', label: 'Most stars' },
] as const;
export type SortKey = (typeof SORTS)[number]['key'];

/** Characters of a description that go into the index: enough to match, small enough to ship. */
export const DESCRIPTION_CHARS = 240;

/** flexsearch Document options; forward tokenization gives prefix matching ("coord" → "coordinates"). */
export function documentOptions() {
  return {
    cache: false,
    document: {
      id: 'i',
      index: FIELDS.map(({ field }) => ({ field, tokenize: 'forward' as const, resolution: 3 })),
    },
  };
}

/** Files the build writes under `<base>search/`; index shards are `search/index/<shard>.json`. */
export const SEARCH_FILES = { docs: 'search/docs.json', shardDir: 'search/index' } as const;

/**
 * The index is split by the first two characters of each word, so a query loads only the shards of
 * its own words (a few kB each) instead of the whole catalog's index. One-character words live in
 * their own shard ("r" → "r_"); prefix matching starts at two characters.
 */
export function shardOf(word: string): string {
  const key = word.slice(0, 2).replace(/[^a-z0-9]/g, '_');
  return key.length === 2 ? key : `${key}_`;
}

/** Words as the index and the query see them: lower case, split at anything not a letter or digit. */
export function words(text: string): string[] {
  return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((word) => word.length > 0);
}

/** One workflow as the browser holds it to rank, filter and draw a card. */
export type CompactDoc = {
  /** workflow id */
  id: string;
  t: string;
  /** index into dict.repository; -1 for a curated entry (no repository) */
  r: number;
  /** updated, YYYY-MM-DD; '' for a curated entry (no date) */
  u: string;
  /** stars of the repository, -1 when unknown */
  s: number;
  /** thumbnail extension ('png' | 'jpg'), '' when none; served at workflows/<id>/thumbnail.<ext> */
  m: string;
  /** per facet in FACETS order: indices into the payload's dictionaries */
  f: number[][];
};

export type SearchPayload = {
  /** Per facet key: the distinct values, most frequent first; docs refer to them by index. */
  dict: Record<FacetKey, string[]>;
  /** Display labels for facet values where the value is an id (facility ids → names). */
  labels: Partial<Record<FacetKey, Record<string, string>>>;
  /** Index shards that exist (a query word whose shard is absent matches nothing, without a request). */
  shards: string[];
  docs: CompactDoc[];
};

/** The payload on the wire: column per field (compresses far better than one object per doc). */
export type WirePayload = {
  version: 2;
  dict: SearchPayload['dict'];
  labels: SearchPayload['labels'];
  shards: string[];
  ids: string[];
  titles: string[];
  repo: number[];
  /** days since 1970-01-01; -1 when none */
  updated: number[];
  stars: number[];
  /** one character per doc: p (png), j (jpg), - (none) */
  thumbs: string;
  /** per facet: a single index, or a list for none/several values */
  facets: Record<FacetKey, Array<number | number[]>>;
};

const DAY = 86_400_000;
const THUMB_CODE: Record<string, string> = { png: 'p', jpg: 'j', '': '-' };
const THUMB_EXT: Record<string, string> = { p: 'png', j: 'jpg', '-': '' };

export function encodePayload(payload: SearchPayload): WirePayload {
  const { docs } = payload;
  return {
    version: 2,
    dict: payload.dict,
    labels: payload.labels,
    shards: payload.shards,
    ids: docs.map((doc) => doc.id),
    titles: docs.map((doc) => doc.t),
    repo: docs.map((doc) => doc.r),
    updated: docs.map((doc) => (doc.u ? Math.round(Date.parse(`${doc.u}T00:00:00Z`) / DAY) : -1)),
    stars: docs.map((doc) => doc.s),
    thumbs: docs.map((doc) => THUMB_CODE[doc.m] ?? '-').join(''),
    facets: Object.fromEntries(
      FACETS.map(({ key }, facet) => [key, docs.map((doc) => (doc.f[facet]!.length === 1 ? doc.f[facet]![0]! : doc.f[facet]!))]),
    ) as WirePayload['facets'],
  };
}

export function decodePayload(wire: WirePayload): SearchPayload {
  const docs: CompactDoc[] = wire.ids.map((id, index) => ({
    id,
    t: wire.titles[index]!,
    r: wire.repo[index]!,
    u: wire.updated[index]! < 0 ? '' : new Date(wire.updated[index]! * DAY).toISOString().slice(0, 10),
    s: wire.stars[index]!,
    m: THUMB_EXT[wire.thumbs[index]!] ?? '',
    f: FACETS.map(({ key }) => {
      const value = wire.facets[key][index]!;
      return typeof value === 'number' ? [value] : value;
    }),
  }));
  return { dict: wire.dict, labels: wire.labels, shards: wire.shards, docs };
}

/** The documents flexsearch indexes (build time only; the browser gets the exported shards). */
export type IndexedDoc = { i: number } & Record<FieldName, string>;
