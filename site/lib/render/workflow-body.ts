/**
 * The body of a workflow page (everything inside the layout): facts, software, the Launch panel and the
 * notebook preview (rendered beforehand: workflow-preview.ts). A pure function of catalog records, so a build's
 * worker threads render thousands of these (page-worker.ts) while Astro's own thread does the rest; the page's
 * head (title, Open Graph, JSON-LD) is workflow-page.ts's.
 */
import type { Facility, Repository, Workflow } from '../../../catalog/contract/index.js';
import { downloadUrl, repositoryAtCommitUrl, safeHref } from '../launch/index.js';
import { formatBytes } from '../preview.js';
import { environmentLabel, repositoryName, workflowLanguage } from '../search/facets.js';
import { formatDay } from '../search/view.js';
import { html, trusted, type SafeHtml } from './html.js';
import { launchPanelHtml } from './launch-panel.js';

export type WorkflowBodyInput = {
  workflow: Workflow;
  repository: Repository | undefined;
  facilities: readonly Facility[];
  /** The notebook preview, rendered (workflow-preview.ts); null when the catalog has none. */
  previewHtml: string | null;
  base: string;
};

function definition(term: string, value: SafeHtml | string): SafeHtml {
  return html`<dt>${term}</dt><dd>${value}</dd>`;
}

export function workflowBodyHtml({ workflow, repository, facilities, previewHtml, base }: WorkflowBodyInput): string {
  const search = (params: Record<string, string>) => `${base}?${new URLSearchParams(params).toString()}`;
  const download = downloadUrl(workflow);
  const browse = repositoryAtCommitUrl(workflow.repository, workflow.path);
  const repoHome = safeHref(workflow.repository.url);
  const fullName = repositoryName(workflow, repository);
  const language = workflowLanguage(workflow);
  const fileName = workflow.path.split('/').pop() ?? workflow.path;
  const { cells, environment } = workflow;

  const head = html`<nav class="breadcrumbs" aria-label="Breadcrumb"><ol><li><a href="${base}">Workflows</a></li><li><a href="${search({ repository: fullName })}">${fullName}</a></li><li aria-current="page">${fileName}</li></ol></nav>
<div class="workflow-head"><div><h1>${workflow.title}</h1>${workflow.description && html`<p class="lede">${workflow.description}</p>`}${
    workflow.keywords.length > 0 && html`<ul class="tags" aria-label="Keywords">${workflow.keywords.map((keyword) => html`<li><a href="${search({ keyword })}">${keyword}</a></li>`)}</ul>`
  }<div class="actions">${download && html`<a class="button" href="${download}" download="${fileName}" rel="nofollow noopener noreferrer">Download .ipynb</a>`}${
    browse && html`<a class="button secondary" href="${browse}" rel="nofollow noopener noreferrer">View at commit ${workflow.repository.commit.slice(0, 7)}</a>`
  }${!browse && repoHome && html`<a class="button secondary" href="${repoHome}" rel="nofollow noopener noreferrer">Repository</a>`}</div>${
    workflow.staleSince && html`<p class="notice">The last crawl could not reach this repository; this record is as seen on ${formatDay(workflow.staleSince.slice(0, 10))}.</p>`
  }</div><div>${trusted(launchPanelHtml(workflow, facilities, base))}</div></div>`;

  const commitHref = browse ? (repositoryAtCommitUrl(workflow.repository) ?? browse) : null;
  const about = html`<section class="panel" aria-labelledby="about-heading"><h2 id="about-heading">About this workflow</h2><dl class="facts">${[
    definition('Repository', html`${repoHome ? html`<a href="${repoHome}" rel="nofollow noopener noreferrer">${fullName}</a>` : fullName} ${repository?.stars != null && html`<span>&middot; &#9733; ${repository.stars}</span>`}`),
    html`<dt>Commit</dt><dd class="mono">${commitHref ? html`<a href="${commitHref}" rel="nofollow noopener noreferrer">${workflow.repository.commit}</a>` : workflow.repository.commit} (${workflow.repository.ref})</dd>`,
    html`<dt>Notebook</dt><dd class="mono">${workflow.path}</dd>`,
    workflow.authors.length > 0 && definition('Authors', workflow.authors.join(', ')),
    definition('Licence', workflow.license ? html`<a href="${search({ license: workflow.license })}">${workflow.license}</a>` : 'none stated'),
    language &&
      definition('Language', html`<a href="${search({ language })}">${language}</a>${workflow.runtimePlatform && workflow.runtimePlatform !== language ? ` (${workflow.runtimePlatform})` : ''}`),
    workflow.kernel && definition('Kernel', html`${workflow.kernel.displayName ?? workflow.kernel.name} <span class="mono">(${workflow.kernel.name})</span>`),
    definition('Updated', html`<time datetime="${workflow.updatedAt}">${formatDay(workflow.updatedAt.slice(0, 10))}</time>`),
    definition('Cells', `${cells.code} code, ${cells.markdown} markdown${cells.raw > 0 ? `, ${cells.raw} raw` : ''} · nbformat ${workflow.nbformat} · ${formatBytes(workflow.size)}`),
    definition('Outputs', workflow.execution.hasOutputs ? `saved with outputs${workflow.execution.inOrder === false ? ' (cells were run out of order)' : ''}` : 'saved without outputs'),
  ]}</dl></section>`;

  const environmentFiles =
    environment &&
    html`<ul class="tags" aria-label="Environment files">${environment.files.map((file) => {
      const href = repositoryAtCommitUrl(workflow.repository, file);
      return html`<li>${href ? html`<a class="mono" href="${href}" rel="nofollow noopener noreferrer">${file}</a>` : html`<span class="mono">${file}</span>`}</li>`;
    })}</ul>`;
  const software = html`<section class="panel" aria-labelledby="environment-heading"><h2 id="environment-heading">Software</h2><dl class="facts">${[
    definition('Environment', html`${environmentLabel(workflow)} ${environmentFiles}`),
    environment?.packages && environment.packages.length > 0 && html`<dt>Declared packages</dt><dd class="mono">${environment.packages.join(', ')}</dd>`,
    workflow.imports.length > 0 &&
      definition(
        'Imports',
        html`<ul class="tags" aria-label="Imported packages">${workflow.imports.map((name) => html`<li><a href="${search({ q: name })}" title="${`Workflows that use ${name}`}">${name}</a></li>`)}</ul>`,
      ),
    workflow.installs.length > 0 && html`<dt>Installs in notebook</dt><dd class="mono">${workflow.installs.join(', ')}</dd>`,
  ]}</dl>${
    workflow.warnings.length > 0 &&
    html`<details><summary>${workflow.warnings.length} note${workflow.warnings.length === 1 ? '' : 's'} from the crawler</summary><ul>${workflow.warnings.map((warning) => html`<li>${warning}</li>`)}</ul></details>`
  }</section>`;

  const notebook =
    previewHtml !== null
      ? trusted(previewHtml)
      : html`<p class="empty">No preview is available for this notebook yet${download ? '; download it to read every cell' : ''}.</p>`;
  const previewSection = html`<section aria-labelledby="preview-heading"><h2 id="preview-heading">Notebook preview</h2>${notebook}</section>`;

  return html`${head}\n${about}\n${software}\n${previewSection}`.value;
}
