/**
 * The search itself, pure and synchronous: ranks with a flexsearch lookup per query term, filters by
 * facets, counts facet values (each facet counted as if its own selection were not set, so the user
 * sees what widening it would give) and sorts. Runs in the browser; unit-testable in Node.
 */
import { FACETS, FIELDS, words, type FacetKey, type SearchPayload, type SortKey } from './config.js';
import type { SearchState } from './state.js';

/** flexsearch Document.search for one term over every field: per field, doc indices best first. */
export type FieldLookup = (term: string, limit: number) => Array<{ field: string; result: Array<number | string> }>;

export type FacetCount = { value: string; count: number; selected: boolean };

export type SearchResult = {
  /** Indices into payload.docs, in display order. */
  hits: number[];
  facets: Record<FacetKey, FacetCount[]>;
  sort: SortKey;
};

const WEIGHT = new Map<string, number>(FIELDS.map(({ field, weight }) => [field, weight]));

export function queryTerms(query: string): string[] {
  return [...new Set(words(query))].slice(0, 12);
}

export class SearchEngine {
  constructor(
    private readonly payload: SearchPayload,
    private readonly lookup: FieldLookup,
  ) {}

  /**
   * Relevance per matching doc (a dense array, NaN = no match): every term must match some field; each
   * field adds its weight, scaled by the doc's rank within that field. Typed arrays keep a 10,000-doc
   * query well inside a frame.
   */
  private scores(terms: string[]): { score: Float64Array; matches: number[] } | null {
    if (terms.length === 0) return null;
    const size = this.payload.docs.length;
    let total: Float64Array | null = null;
    for (const term of terms) {
      const scores = new Float64Array(size);
      for (const { field, result } of this.lookup(term, size)) {
        const weight = WEIGHT.get(field) ?? 1;
        const step = (0.5 * weight) / result.length;
        for (let rank = 0; rank < result.length; rank += 1) scores[Number(result[rank])]! += weight - step * rank;
      }
      if (total === null) total = scores;
      else for (let doc = 0; doc < size; doc += 1) total[doc] = scores[doc]! > 0 && total[doc]! > 0 ? total[doc]! + scores[doc]! : 0;
    }
    const matches: number[] = [];
    for (let doc = 0; doc < size; doc += 1) if (total![doc]! > 0) matches.push(doc);
    return { score: total!, matches };
  }

  run(state: SearchState): SearchResult {
    const { docs, dict } = this.payload;
    const scores = this.scores(queryTerms(state.q));
    const selected = FACETS.map(({ key }) => {
      const wanted = new Set(state.filters[key]);
      const indices = new Set<number>();
      dict[key].forEach((value, index) => wanted.has(value) && indices.add(index));
      return wanted.size === 0 ? null : indices;
    });
    const counts = FACETS.map(({ key }) => new Int32Array(dict[key].length));
    const hits: number[] = [];
    const candidates = scores ? scores.matches : docs.map((_, index) => index);
    for (const index of candidates) {
      const doc = docs[index]!;
      let failed = -1;
      let failures = 0;
      for (let facet = 0; facet < selected.length; facet += 1) {
        const wanted = selected[facet];
        if (wanted && !doc.f[facet]!.some((value) => wanted.has(value))) {
          failures += 1;
          failed = facet;
        }
      }
      if (failures > 1) continue;
      if (failures === 1) {
        for (const value of doc.f[failed]!) counts[failed]![value]! += 1;
        continue;
      }
      hits.push(index);
      for (let facet = 0; facet < doc.f.length; facet += 1) for (const value of doc.f[facet]!) counts[facet]![value]! += 1;
    }
    const sort: SortKey = state.sort ?? (scores ? 'relevance' : 'updated');
    if (sort === 'relevance' && scores) hits.sort((a, b) => scores.score[b]! - scores.score[a]! || a - b);
    else if (sort === 'stars') hits.sort((a, b) => docs[b]!.s - docs[a]!.s || a - b);
    else hits.sort((a, b) => a - b); // docs are stored most recently updated first
    const facets = Object.fromEntries(
      FACETS.map(({ key }, facet) => {
        const wanted = new Set(state.filters[key]);
        const list: FacetCount[] = [];
        counts[facet]!.forEach((count, value) => {
          if (count > 0) list.push({ value: dict[key][value]!, count, selected: wanted.has(dict[key][value]!) });
        });
        // A selected value stays visible with its count even when nothing else matches it any more.
        for (const value of wanted) if (!list.some((item) => item.value === value)) list.push({ value, count: 0, selected: true });
        list.sort((a, b) => Number(b.selected) - Number(a.selected) || b.count - a.count || (a.value < b.value ? -1 : 1));
        return [key, list];
      }),
    ) as Record<FacetKey, FacetCount[]>;
    return { hits, facets, sort };
  }
}
