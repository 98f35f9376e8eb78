/** `/api/esap/facilities.json` and `/api/esap/workflows[/N].json`: the catalog with ESAP IDA's field names, in its envelope. */
import { type EsapFacilitiesPage, type EsapWorkflowsPage, type Facility, type Workflow, esapFacility, esapWorkflow } from '../../catalog/contract/index.js';
import { esapPage } from './api-page.js';
import { sortFacilities } from './facilities-search.js';
import { STATIC_PAGE_SIZE, pageCount, workflowsPage } from './workflows-api.js';

export function esapFacilitiesPage(facilities: readonly Facility[]): EsapFacilitiesPage {
  return esapPage(sortFacilities(facilities).map(esapFacility), 'Compute facilities (ida-catalog facility registry), with ESAP IDA field names.', 1, STATIC_PAGE_SIZE);
}

/** Page N of the workflows, the same records and order as /api/workflows/N.json, with ESAP IDA field names. */
export function esapWorkflowsPage(workflows: readonly Workflow[], page: number): EsapWorkflowsPage {
  const ours = workflowsPage(workflows, page);
  return {
    ...ours,
    description: `Interactive data analysis workflows (ida-catalog) with ESAP IDA field names. Page N of ${pageCount(workflows.length)} is at /api/esap/workflows/N.json (page 1 is also /api/esap/workflows.json).`,
    results: ours.results.map(esapWorkflow),
  };
}
