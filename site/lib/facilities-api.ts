/** `/api/facilities.json`: facilities in ESAP's paginated search envelope. */
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, SCHEMA_VERSION, type FacilitiesPage, type Facility } from '../../catalog/contract/index.js';
import { sortFacilities } from './facilities-search.js';

export type PageRequest = { page?: number; pageSize?: number };

/**
 * One page of facilities. Page sizes are clamped to 1…MAX_PAGE_SIZE and pages to 1…, as ESAP did; a page
 * past the end is empty rather than an error.
 */
export function facilitiesPage(facilities: readonly Facility[], request: PageRequest = {}): FacilitiesPage {
  const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(request.pageSize ?? DEFAULT_PAGE_SIZE)));
  const page = Math.max(1, Math.floor(request.page ?? 1));
  const sorted = sortFacilities(facilities);
  return {
    description: 'Compute facilities a workflow can be launched on (ida-catalog facility registry).',
    version: String(SCHEMA_VERSION),
    requested_page: page,
    requested_page_size: pageSize,
    default_page_size: DEFAULT_PAGE_SIZE,
    max_page_size: MAX_PAGE_SIZE,
    count: sorted.length,
    pages: Math.ceil(sorted.length / pageSize),
    results: sorted.slice((page - 1) * pageSize, page * pageSize),
  };
}
