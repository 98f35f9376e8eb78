/** Which facet values a workflow has (build time; the browser receives them pre-computed). */
import type { CuratedWorkflow, Facility, Repository, Workflow } from '../../../catalog/contract/index.js';
import { INTERFACE_LABELS, compatibility, languageLabel, normaliseLanguage } from '../launch/compatibility.js';
import { curatedLaunchChoices } from '../launch/curated.js';
import { WORKFLOW_TYPE_LABELS, type FacetKey } from './config.js';

// A Map, not an object: a key from the catalog never reaches Object.prototype ("constructor", "__proto__").
const ENVIRONMENT_LABELS = new Map<string, string>([
  ['conda', 'conda (environment.yml)'],
  ['pip', 'pip (requirements.txt)'],
  ['pipenv', 'Pipenv'],
  ['python-package', 'Python package'],
  ['julia', 'Julia project'],
  ['r', 'R (install.R)'],
  ['apt', 'apt packages'],
  ['docker', 'Dockerfile'],
  ['other', 'other'],
]);
export const NO_ENVIRONMENT = 'none declared';
export const NO_LICENSE = 'none stated';

/** `owner/name` of the workflow's repository, from the repository record or its URL. */
export function repositoryName(workflow: Pick<Workflow, 'repository'>, repository?: Pick<Repository, 'fullName'>): string {
  if (repository) return repository.fullName;
  return new URL(workflow.repository.url).pathname.replace(/^\/+|\/+$/g, '').replace(/\.git$/, '');
}

export function workflowLanguage(workflow: Pick<Workflow, 'language' | 'kernel'>): string | null {
  const language = normaliseLanguage(workflow.language ?? workflow.kernel?.language);
  return language ? languageLabel(language) : null;
}

export function environmentLabel(workflow: Pick<Workflow, 'environment'>): string {
  return workflow.environment ? (ENVIRONMENT_LABELS.get(workflow.environment.kind) ?? workflow.environment.kind) : NO_ENVIRONMENT;
}

/** Interfaces that suit any notebook; RStudio and Shiny only an R one. */
const R_INTERFACES = new Set(['rstudio', 'shiny']);

export function facetValuesOf(workflow: Workflow, repository: Repository | undefined, facilities: readonly Facility[]): Record<FacetKey, string[]> {
  const language = workflowLanguage(workflow);
  const kernel = workflow.kernel ? (workflow.kernel.displayName ?? workflow.kernel.name) : null;
  const runsOn = facilities.filter((facility) => {
    const fit = compatibility(workflow, facility);
    return fit.launchable && fit.language !== 'mismatch' && fit.opensAsNotebook;
  });
  const isR = normaliseLanguage(workflow.language ?? workflow.kernel?.language) === 'r';
  const interfaces = new Set(runsOn.flatMap((facility) => facility.interfaces).filter((ui) => isR || !R_INTERFACES.has(ui)));
  return {
    type: [WORKFLOW_TYPE_LABELS.notebook],
    language: language ? [language] : [],
    kernel: kernel ? [kernel] : [],
    keyword: [...new Set(workflow.keywords)],
    author: [...new Set(workflow.authors)],
    repository: [repositoryName(workflow, repository)],
    license: [workflow.license ?? NO_LICENSE],
    environment: [environmentLabel(workflow)],
    facility: runsOn.map((facility) => facility.id),
    // Labels in the contract's order of interfaces, so the facet lists them the same way everywhere.
    interface: (Object.keys(INTERFACE_LABELS) as (keyof typeof INTERFACE_LABELS)[]).filter((ui) => interfaces.has(ui)).map((ui) => INTERFACE_LABELS[ui]),
  };
}

/**
 * A curated entry's facet values: its type, languages, keywords, authors and licence; "Runs on" every facility that
 * offers what it needs (a remote desktop, its image), whether or not the panel can link there.
 */
export function curatedFacetValuesOf(entry: CuratedWorkflow, facilities: readonly Facility[]): Record<FacetKey, string[]> {
  const { launchable, others } = curatedLaunchChoices(entry, facilities);
  const interfaces = new Set(launchable.flatMap((choice) => choice.interfaces.map((item) => item.ui)));
  const languages = (entry.languages ?? []).map((item) => normaliseLanguage(item)).filter((item): item is string => item !== null);
  return {
    type: [WORKFLOW_TYPE_LABELS[entry.workflowType]],
    language: [...new Set(languages.map(languageLabel))],
    kernel: [],
    keyword: [...new Set(entry.keywords)],
    author: [...new Set(entry.authors)],
    repository: [],
    license: [entry.license ?? NO_LICENSE],
    environment: [],
    facility: [...launchable, ...others].map((choice) => choice.id).sort(),
    interface: (Object.keys(INTERFACE_LABELS) as (keyof typeof INTERFACE_LABELS)[]).filter((ui) => interfaces.has(ui)).map((ui) => INTERFACE_LABELS[ui]),
  };
}
