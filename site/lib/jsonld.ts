/** schema.org JSON-LD for a workflow page, and a serialiser that cannot close its <script> element. */
import type { Workflow } from '../../catalog/contract/index.js';
import { doiUrl } from './launch/datasets.js';
import { repositoryAtCommitUrl } from './launch/links.js';
import { workflowLanguage } from './search/facets.js';

export function softwareSourceCode(workflow: Workflow, pageUrl: string, imageUrl: string | null): Record<string, unknown> {
  return {
    '@context': 'https://schema.org',
    '@type': 'SoftwareSourceCode',
    '@id': pageUrl,
    url: pageUrl,
    name: workflow.title,
    description: workflow.description || undefined,
    codeRepository: workflow.repository.url,
    identifier: workflow.doi ? doiUrl(workflow.doi) : undefined,
    programmingLanguage: workflowLanguage(workflow) ?? undefined,
    runtimePlatform: workflow.runtimePlatform ?? undefined,
    license: workflow.license ? `https://spdx.org/licenses/${workflow.license}` : undefined,
    author: workflow.authors.map((name) => ({ '@type': 'Person', name })),
    keywords: workflow.keywords.length > 0 ? workflow.keywords.join(', ') : undefined,
    dateModified: workflow.updatedAt,
    version: workflow.repository.commit,
    encodingFormat: 'application/x-ipynb+json',
    image: imageUrl ?? undefined,
    isBasedOn: repositoryAtCommitUrl(workflow.repository, workflow.path) ?? undefined,
    softwareRequirements: workflow.imports.length > 0 ? workflow.imports : undefined,
  };
}

/**
 * `<` (so no string can end the element) and every non-ASCII character (escapes are all a script element can
 * take: it decodes no character references).
 */
const SCRIPT_UNSAFE = /[<\u007f-\uffff]/g;

/** JSON for inside <script type="application/ld+json">, with `\u` escapes where needed (SCRIPT_UNSAFE). */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(SCRIPT_UNSAFE, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
