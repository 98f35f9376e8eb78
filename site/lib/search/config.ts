/**
 * What the search ranks and filters on. Shared by the build (which creates and exports the flexsearch
 * index) and the browser (which imports it), so both always agree on fields and options.
 */

/** Indexed fields, best first, with their weight in the combined score (title > keywords > … > repository). */
export const FIELDS = [
  { field: 'title', weight: 8 },
  { field: 'keywords', weight: 5 },
  { field: 'description', weight: 3 },
  { field: 'imports', weight: 2 },
  { field: 'repository', weight: 1 },
] as const;
export type FieldName = (typeof FIELDS)[number]['field'];

/** Facets, in display order. `key` is the URL parameter (`?language=r&keyword=fits`). */
export const FACETS = [
  { key: 'language', label: 'Language' },
  { key: 'kernel', label: 'Kernel' },
  { key: 'keyword', label: 'Keywords' },
  { key: 'repository', label: 'Repository' },
  { key: 'license', label: 'Licence' },
  { key: 'environment', label: 'Environment' },
  { key: 'facility', label: 'Runs on' },
] as const;
export type FacetKey = (typeof FACETS)[number]['key'];

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
      index: FIELDS.map(({ field }) => ({ field, tokenize: 'forward' as const, resolution: 5 })),
    },
  };
}

/** Files the build writes under `<base>search/`. */
export const SEARCH_FILES = { docs: 'search/docs.json', index: 'search/index.json' } as const;

/**
 * One workflow as the browser needs it to rank, filter and draw a card — nothing more.
 * `f` holds, per facet in FACETS order, indices into the payload's dictionaries.
 */
export type CompactDoc = {
  /** workflow id */
  id: string;
  t: string;
  /** index into dict.repository */
  r: number;
  /** updated, YYYY-MM-DD */
  u: string;
  /** stars of the repository, -1 when unknown */
  s: number;
  /** thumbnail file name inside media/, '' when none */
  m: string;
  /** keywords shown on the card (indices into dict.keyword) */
  k: number[];
  f: number[][];
};

export type SearchPayload = {
  version: 1;
  /** Per facet key: the distinct values, sorted by count then name; docs refer to them by index. */
  dict: Record<FacetKey, string[]>;
  /** Display labels for facet values where the value is an id (facility ids → names). */
  labels: Partial<Record<FacetKey, Record<string, string>>>;
  docs: CompactDoc[];
};

/** The documents flexsearch indexes (build time only; the browser gets the exported index). */
export type IndexedDoc = { i: number } & Record<FieldName, string>;
