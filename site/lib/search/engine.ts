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

  /** Relevance score per matching doc: every term must match some field; fields weigh in by rank. */
  private scores(terms: string[]): Map<number, number> | null {
    if (terms.length === 0) return null;
    let total: Map<number, number> | null = null;
    for (const term of terms) {
      const scores = new Map<number, number>();
      for (const { field, result } of this.lookup(term, this.payload.docs.length)) {
        const weight = WEIGHT.get(field) ?? 1;
        result.forEach((id, rank) => {
          const doc = Number(id);
          scores.set(doc, (scores.get(doc) ?? 0) + weight * (1 - (0.5 * rank) / result.length));
        });
      }
      if (total === null) total = scores;
      else {
        const next = new Map<number, number>();
        for (const [doc, score] of scores) {
          const previous: number | undefined = total.get(doc);
          if (previous !== undefined) next.set(doc, previous + score);
        }
        total = next;
      }
      if (total.size === 0) break;
    }
    return total;
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
    const counts = FACETS.map(() => new Map<number, number>());
    const hits: number[] = [];
    const candidates = scores ? [...scores.keys()] : docs.map((_, index) => index);
    for (const index of candidates) {
      const doc = docs[index]!;
      let failed = -1;
      let failures = 0;
      selected.forEach((wanted, facet) => {
        if (wanted && !doc.f[facet]!.some((value) => wanted.has(value))) {
          failures += 1;
          failed = facet;
        }
      });
      if (failures > 1) continue;
      if (failures === 1) {
        for (const value of doc.f[failed]!) counts[failed]!.set(value, (counts[failed]!.get(value) ?? 0) + 1);
        continue;
      }
      hits.push(index);
      doc.f.forEach((values, facet) => {
        for (const value of values) counts[facet]!.set(value, (counts[facet]!.get(value) ?? 0) + 1);
      });
    }
    const sort: SortKey = state.sort ?? (scores ? 'relevance' : 'updated');
    if (sort === 'relevance' && scores) hits.sort((a, b) => scores.get(b)! - scores.get(a)! || a - b);
    else if (sort === 'stars') hits.sort((a, b) => docs[b]!.s - docs[a]!.s || a - b);
    else hits.sort((a, b) => a - b); // docs are stored most recently updated first
    const facets = Object.fromEntries(
      FACETS.map(({ key }, facet) => {
        const wanted = new Set(state.filters[key]);
        const list: FacetCount[] = [...counts[facet]!.entries()].map(([value, count]) => ({ value: dict[key][value]!, count, selected: wanted.has(dict[key][value]!) }));
        // A selected value stays visible with its count even when nothing else matches it any more.
        for (const value of wanted) if (!list.some((item) => item.value === value)) list.push({ value, count: 0, selected: true });
        list.sort((a, b) => Number(b.selected) - Number(a.selected) || b.count - a.count || (a.value < b.value ? -1 : 1));
        return [key, list];
      }),
    ) as Record<FacetKey, FacetCount[]>;
    return { hits, facets, sort };
  }
}
