/** ESAP's paginated search envelope, filled from an already sorted list (shared by every /api/ route). */
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, SCHEMA_VERSION } from '../../catalog/contract/index.js';

export type EsapPage<T> = {
  description: string;
  version: string;
  requested_page: number;
  requested_page_size: number;
  default_page_size: typeof DEFAULT_PAGE_SIZE;
  max_page_size: typeof MAX_PAGE_SIZE;
  count: number;
  pages: number;
  results: T[];
};

/** Page sizes are clamped to 1…MAX_PAGE_SIZE and pages to 1…, as ESAP did; a page past the end is empty. */
export function esapPage<T>(sorted: readonly T[], description: string, page = 1, pageSize = DEFAULT_PAGE_SIZE): EsapPage<T> {
  const size = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(pageSize)));
  const number = Math.max(1, Math.floor(page));
  return {
    description,
    version: String(SCHEMA_VERSION),
    requested_page: number,
    requested_page_size: size,
    default_page_size: DEFAULT_PAGE_SIZE,
    max_page_size: MAX_PAGE_SIZE,
    count: sorted.length,
    pages: Math.ceil(sorted.length / size),
    results: sorted.slice((number - 1) * size, number * size),
  };
}
