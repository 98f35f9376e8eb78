/** `/api/facilities.json`: facilities in ESAP's paginated search envelope. */
import type { FacilitiesPage, Facility } from '../../catalog/contract/index.js';
import { esapPage } from './api-page.js';
import { sortFacilities } from './facilities-search.js';

export type PageRequest = { page?: number; pageSize?: number };

/** One page of facilities, in the registry's display order. */
export function facilitiesPage(facilities: readonly Facility[], request: PageRequest = {}): FacilitiesPage {
  return esapPage(
    sortFacilities(facilities),
    'Compute facilities a workflow can be launched on (ida-catalog facility registry).',
    request.page,
    request.pageSize,
  );
}
