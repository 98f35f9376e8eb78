/**
 * The catalog in the order every page shows it: workflows newest first, facilities by name, each workflow's
 * repository at hand. Pure, so whatever reads the records (the pages through catalog.ts, the preview step)
 * orders them the same way.
 */
import type { Facility, Repository, Workflow } from '../../catalog/contract/index.js';
import { byUpdated } from './search/build.js';

export type CatalogView = {
  workflows: Workflow[];
  repositories: Repository[];
  facilities: Facility[];
  repositoryOf: (workflow: Workflow) => Repository | undefined;
};

export function catalogView(workflows: readonly Workflow[], repositories: Repository[], facilities: readonly Facility[]): CatalogView {
  const byUrl = new Map(repositories.map((repository) => [repository.url, repository]));
  return {
    workflows: byUpdated(workflows),
    repositories,
    facilities: [...facilities].sort((a, b) => a.name.localeCompare(b.name, 'en')),
    repositoryOf: (workflow) => byUrl.get(workflow.repository.url),
  };
}
