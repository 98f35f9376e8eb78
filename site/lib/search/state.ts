/** Search state ⇄ URL query string, so a search is shareable and the back button restores it. */
import { FACETS, SORTS, type FacetKey, type SortKey } from './config.js';

export type SearchState = {
  q: string;
  sort: SortKey | null;
  filters: Record<FacetKey, string[]>;
};

export function emptyFilters(): Record<FacetKey, string[]> {
  return Object.fromEntries(FACETS.map(({ key }) => [key, []])) as unknown as Record<FacetKey, string[]>;
}

export function parseState(search: string): SearchState {
  const params = new URLSearchParams(search);
  const filters = emptyFilters();
  for (const { key } of FACETS) filters[key] = [...new Set(params.getAll(key).filter((value) => value !== ''))].slice(0, 50);
  const sort = params.get('sort');
  return {
    q: (params.get('q') ?? '').slice(0, 200),
    sort: SORTS.some((item) => item.key === sort) ? (sort as SortKey) : null,
    filters,
  };
}

export function stateToQuery(state: SearchState): string {
  const params = new URLSearchParams();
  if (state.q.trim()) params.set('q', state.q.trim());
  for (const { key } of FACETS) for (const value of state.filters[key]) params.append(key, value);
  if (state.sort) params.set('sort', state.sort);
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function isEmptyState(state: SearchState): boolean {
  return !state.q.trim() && !state.sort && FACETS.every(({ key }) => state.filters[key].length === 0);
}
