import { z } from 'zod';
import { Facility } from './facility.js';
import { Workflow } from './workflow.js';

/** Page sizes of ESAP's IDA search API, kept so ESAP clients read ours unchanged. */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/**
 * ESAP's paginated search envelope (`/esap-api/ida/facilities/search`): the static JSON API
 * (`/api/facilities.json`) answers in the same shape.
 */
export function apiPage<T extends z.ZodTypeAny>(item: T) {
  return z
    .object({
      description: z.string(),
      version: z.string(),
      requested_page: z.number().int().positive(),
      requested_page_size: z.number().int().positive().max(MAX_PAGE_SIZE),
      default_page_size: z.literal(DEFAULT_PAGE_SIZE),
      max_page_size: z.literal(MAX_PAGE_SIZE),
      count: z.number().int().nonnegative(),
      pages: z.number().int().nonnegative(),
      results: z.array(item),
    })
    .strict();
}

export const FacilitiesPage = apiPage(Facility);
export type FacilitiesPage = z.infer<typeof FacilitiesPage>;

/** `/api/workflows.json` and `/api/workflows/<page>.json`: the workflow catalog in the same envelope. */
export const WorkflowsPage = apiPage(Workflow);
export type WorkflowsPage = z.infer<typeof WorkflowsPage>;
