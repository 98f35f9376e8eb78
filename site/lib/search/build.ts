/**
 * Build-time half of the search: turns catalog records into the compact payload the browser ranks and
 * draws cards from, and into the flexsearch index exported as static JSON (see pages/search/*.ts).
 */
import type { CuratedWorkflow, Facility, Repository, Workflow } from '../../../catalog/contract/index.js';
import { DESCRIPTION_CHARS, FACETS, type CompactDoc, type FacetKey, type IndexedDoc, type SearchPayload } from './config.js';
import { splitByShard } from './shards.js';
import { curatedFacetValuesOf, facetValuesOf } from './facets.js';

function dictionary(values: string[][]): string[] {
  const counts = new Map<string, number>();
  for (const list of values) for (const value of list) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([value]) => value);
}

/** Workflows in the order the catalog is shown when nothing is asked: most recently updated first. */
export function byUpdated(workflows: readonly Workflow[]): Workflow[] {
  return [...workflows].sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : a.id < b.id ? -1 : 1));
}

export function buildSearchData(
  workflows: readonly Workflow[],
  repositories: readonly Repository[],
  facilities: readonly Facility[],
  curated: readonly CuratedWorkflow[] = [],
): { payload: SearchPayload; indexDocs: IndexedDoc[]; shards: Map<string, IndexedDoc[]> } {
  const repoByUrl = new Map(repositories.map((repository) => [repository.url, repository]));
  const ordered = byUpdated(workflows);
  // Curated entries (no date, no repository) come after every notebook, in the order given (by title).
  const values = [
    ...ordered.map((workflow) => facetValuesOf(workflow, repoByUrl.get(workflow.repository.url), facilities)),
    ...curated.map((entry) => curatedFacetValuesOf(entry, facilities)),
  ];
  const dict = Object.fromEntries(FACETS.map(({ key }) => [key, dictionary(values.map((entry) => entry[key]))])) as Record<FacetKey, string[]>;
  const position = Object.fromEntries(FACETS.map(({ key }) => [key, new Map(dict[key].map((value, index) => [value, index]))])) as Record<
    FacetKey,
    Map<string, number>
  >;
  const docs: CompactDoc[] = ordered.map((workflow, index) => {
    const facetValues = values[index]!;
    const repository = repoByUrl.get(workflow.repository.url);
    return {
      id: workflow.id,
      t: workflow.title,
      r: position.repository.get(facetValues.repository[0]!)!,
      u: workflow.updatedAt.slice(0, 10),
      s: repository?.stars ?? -1,
      m: workflow.thumbnail ? workflow.thumbnail.slice(-3) : '',
      f: FACETS.map(({ key }) => facetValues[key].map((value) => position[key].get(value)!)),
    };
  });
  curated.forEach((entry, offset) => {
    const facetValues = values[ordered.length + offset]!;
    docs.push({ id: entry.id, t: entry.title, r: -1, u: '', s: -1, m: '', f: FACETS.map(({ key }) => facetValues[key].map((value) => position[key].get(value)!)) });
  });
  const indexDocs: IndexedDoc[] = ordered.map((workflow, index) => ({
    i: index,
    title: workflow.title,
    keywords: workflow.keywords.join(' '),
    authors: workflow.authors.join(' '),
    description: workflow.description.slice(0, DESCRIPTION_CHARS),
    imports: workflow.imports.join(' '),
    repository: values[index]!.repository[0]!.replace('/', ' '),
  }));
  curated.forEach((entry, offset) => {
    indexDocs.push({
      i: ordered.length + offset,
      title: entry.title,
      keywords: entry.keywords.join(' '),
      authors: [...entry.authors, entry.organisation ?? ''].join(' ').trim(),
      description: entry.description.slice(0, DESCRIPTION_CHARS),
      // What a user would type to find a container: its image's name.
      imports: entry.image ?? '',
      repository: '',
    });
  });
  const labels = { facility: Object.fromEntries(facilities.map((facility) => [facility.id, facility.name])) };
  const shards = splitByShard(indexDocs);
  return { payload: { dict, labels, shards: [...shards.keys()], docs }, indexDocs, shards };
}
