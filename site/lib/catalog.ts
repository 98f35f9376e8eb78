/**
 * The catalog as pages see it: content collections (validated by the contract) loaded once per build,
 * with the derived search data computed once and shared by every page and endpoint.
 */
import { getCollection } from 'astro:content';
import type { Facility, Repository, Workflow } from '../../catalog/contract/index.js';
import { buildSearchData, byName, byUpdated } from './search/build.js';
import type { IndexedDoc, SearchPayload } from './search/config.js';

export type SiteCatalog = {
  workflows: Workflow[];
  repositories: Repository[];
  facilities: Facility[];
  repositoryOf: (workflow: Workflow) => Repository | undefined;
  search: { payload: SearchPayload; indexDocs: IndexedDoc[]; shards: Map<string, IndexedDoc[]> };
};

let cached: Promise<SiteCatalog> | null = null;

async function load(): Promise<SiteCatalog> {
  const strip = <T extends { id: string }>(entry: { data: T }) => entry.data;
  const workflows = byUpdated((await getCollection('workflows')).map(strip));
  const repositories = (await getCollection('repositories')).map((entry) => {
    const { id: _id, ...repository } = entry.data;
    return repository as Repository;
  });
  const facilities = byName((await getCollection('facilities')).map(strip));
  const byUrl = new Map(repositories.map((repository) => [repository.url, repository]));
  return {
    workflows,
    repositories,
    facilities,
    repositoryOf: (workflow) => byUrl.get(workflow.repository.url),
    search: buildSearchData(workflows, repositories, facilities),
  };
}

export function siteCatalog(): Promise<SiteCatalog> {
  cached ??= load();
  return cached;
}
