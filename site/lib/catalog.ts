/**
 * The catalog as pages see it: content collections (validated by the contract) loaded once per build,
 * with the derived search data computed once and shared by every page and endpoint.
 */
import { getCollection } from 'astro:content';
import type { CuratedWorkflow, FacilityStatus, Repository } from '../../catalog/contract/index.js';
import { catalogView, type CatalogView } from './catalog-view.js';
import { readCurated, readFacilityStatuses } from './load.js';
import { buildSearchData } from './search/build.js';
import type { IndexedDoc, SearchPayload } from './search/config.js';

export type SiteCatalog = CatalogView & {
  /** Desktop tools and container images from curated.yaml, by title. */
  curated: CuratedWorkflow[];
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
  const curated = (await getCollection('curated')).map(strip).sort((a, b) => a.title.localeCompare(b.title, 'en') || (a.id < b.id ? -1 : 1));
  const workflowIds = new Set(view.workflows.map((workflow) => workflow.id));
  // Read again only to name the line: readCurated throws with the file's positions for every clashing id.
  if (curated.some((entry) => workflowIds.has(entry.id))) await readCurated(workflowIds);
  const statuses = new Map((await readFacilityStatuses()).map((status) => [status.id, status]));
  return { ...view, curated, search: buildSearchData(view.workflows, view.repositories, view.facilities, curated), statuses };
}

export function siteCatalog(): Promise<SiteCatalog> {
  cached ??= load();
  return cached;
}
