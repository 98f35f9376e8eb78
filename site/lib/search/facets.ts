/** Which facet values a workflow has (build time; the browser receives them pre-computed). */
import type { Facility, Repository, Workflow } from '../../../catalog/contract/index.js';
import { compatibility, languageLabel, normaliseLanguage } from '../launch/compatibility.js';
import type { FacetKey } from './config.js';

const ENVIRONMENT_LABELS: Record<string, string> = {
  conda: 'conda (environment.yml)',
  pip: 'pip (requirements.txt)',
  pipenv: 'Pipenv',
  'python-package': 'Python package',
  julia: 'Julia project',
  r: 'R (install.R)',
  apt: 'apt packages',
  docker: 'Dockerfile',
  other: 'other',
};
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
  return workflow.environment ? (ENVIRONMENT_LABELS[workflow.environment.kind] ?? workflow.environment.kind) : NO_ENVIRONMENT;
}

export function facetValuesOf(workflow: Workflow, repository: Repository | undefined, facilities: readonly Facility[]): Record<FacetKey, string[]> {
  const language = workflowLanguage(workflow);
  const kernel = workflow.kernel ? (workflow.kernel.displayName ?? workflow.kernel.name) : null;
  return {
    language: language ? [language] : [],
    kernel: kernel ? [kernel] : [],
    keyword: [...new Set(workflow.keywords)],
    repository: [repositoryName(workflow, repository)],
    license: [workflow.license ?? NO_LICENSE],
    environment: [environmentLabel(workflow)],
    facility: facilities
      .filter((facility) => {
        const fit = compatibility(workflow, facility);
        return fit.launchable && fit.language !== 'mismatch' && fit.opensAsNotebook;
      })
      .map((facility) => facility.id),
  };
}
