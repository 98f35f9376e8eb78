/**
 * ESAP's view of our catalog: its IDA models' field names (facilities: name, description, url, facilitytype;
 * workflows: name, description, url, ref, filepath, workflowtype, keywords as one comma-separated string, author,
 * runtimePlatform) in its paginated search envelope, so an ESAP deployment can read /api/esap/*.json unchanged.
 * Derived from the contract's own records by the two functions below; nothing here is stored.
 */
import { z } from 'zod';
import { apiPage } from './api.js';
import type { Facility } from './facility.js';
import { type Workflow } from './workflow.js';

export const EsapFacility = z
  .object({
    name: z.string().min(1),
    description: z.string(),
    url: z.string().url(),
    /** ESAP's facility kinds: `jupyterhub`, `binderhub`, or `other`. */
    facilitytype: z.enum(['jupyterhub', 'binderhub', 'other']),
  })
  .strict();
export type EsapFacility = z.infer<typeof EsapFacility>;

export const EsapWorkflow = z
  .object({
    name: z.string().min(1),
    description: z.string(),
    /** The repository (what ESAP clones or hands to a BinderHub). */
    url: z.string().url(),
    /** The commit the catalog read: a BinderHub builds exactly it. */
    ref: z.string().min(1),
    /** The notebook inside the repository. */
    filepath: z.string().min(1),
    workflowtype: z.enum(['notebook', 'desktop', 'container']),
    /** Comma-separated, as ESAP stores them. */
    keywords: z.string(),
    /** Comma-separated names. */
    author: z.string(),
    /** "Python", "R", "Julia"…; empty when unknown. */
    runtimePlatform: z.string(),
  })
  .strict();
export type EsapWorkflow = z.infer<typeof EsapWorkflow>;

export const EsapFacilitiesPage = apiPage(EsapFacility);
export type EsapFacilitiesPage = z.infer<typeof EsapFacilitiesPage>;
export const EsapWorkflowsPage = apiPage(EsapWorkflow);
export type EsapWorkflowsPage = z.infer<typeof EsapWorkflowsPage>;

export function esapFacility(facility: Facility): EsapFacility {
  return { name: facility.name, description: facility.description ?? '', url: facility.url, facilitytype: facility.type };
}

export function esapWorkflow(workflow: Workflow): EsapWorkflow {
  return {
    name: workflow.title,
    description: workflow.description,
    url: workflow.repository.url,
    ref: workflow.repository.commit,
    filepath: workflow.path,
    workflowtype: workflow.workflowType,
    // ESAP splits on commas: a comma inside one keyword or name would split it in two.
    keywords: workflow.keywords.map((keyword) => keyword.replace(/,/g, ' ')).join(', '),
    author: workflow.authors.map((name) => name.replace(/,/g, ' ')).join(', '),
    runtimePlatform: workflow.runtimePlatform ?? '',
  };
}
