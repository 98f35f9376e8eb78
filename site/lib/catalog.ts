/**
 * The catalog as pages see it: content collections (validated by the contract) loaded once per build,
 * with the derived search data computed once and shared by every page and endpoint.
 */
import { getCollection } from 'astro:content';
import type { FacilityStatus, Repository } from '../../catalog/contract/index.js';
import { catalogView, type CatalogView } from './catalog-view.js';
import { readFacilityStatuses } from './load.js';
import { buildSearchData } from './search/build.js';
import type { IndexedDoc, SearchPayload } from './search/config.js';

export type SiteCatalog = CatalogView & {
  search: { payload: SearchPayload; indexDocs: IndexedDoc[]; shards: Map<string, IndexedDoc[]> };
  /** Each facility's last check by id (catalog/facility-status.json); empty before the probe first ran. */
  statuses: Map<string, FacilityStatus>;
};

let cached: Promise<SiteCatalog> | null = null;

async function load(): Promise<SiteCatalog> {
  const strip = <T extends { id: string }>(entry: { data: T }) => entry.data;
  const repositories = (await getCollection('repositories')).map((entry) => {
    const { id: _id, ...repository } = entry.data;
    return repository as Repository;
  });
  const view = catalogView((await getCollection('workflows')).map(strip), repositories, (await getCollection('facilities')).map(strip));
  const statuses = new Map((await readFacilityStatuses()).map((status) => [status.id, status]));
  return { ...view, search: buildSearchData(view.workflows, view.repositories, view.facilities), statuses };
}

export function siteCatalog(): Promise<SiteCatalog> {
  cached ??= load();
  return cached;
}
