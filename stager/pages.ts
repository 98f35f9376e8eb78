/**
 * The service's HTML pages. Every value is escaped; pages load only this service's own style sheet and
 * script (the Content-Security-Policy allows nothing else), and no page ever contains a token.
 */
import { escapeUTF8 as esc } from 'entities';
import type { Dataset } from '../catalog/contract/index.js';
import { DATASET_KIND_LABELS } from '../site/lib/launch/datasets.js';
import { formatBytes, type SizeInfo } from './head.js';
import type { StagingRequest } from './link.js';


export function page(prefix: string, title: string, body: string, options: { refresh?: string; script?: boolean } = {}): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${esc(title)} · data staging</title>
<link rel="stylesheet" href="${esc(prefix)}static/stager.css">
${options.refresh ? `<noscript><meta http-equiv="refresh" content="${esc(options.refresh)}"></noscript>` : ''}
${options.script ? `<script src="${esc(prefix)}static/progress.js" defer></script>` : ''}
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

export type StagedCell = { language: string; label: string; code: string };

export function confirmationPage(options: {
  prefix: string;
  user: string;
  request: StagingRequest;
  sizes: SizeInfo[];
  cells: StagedCell[];
  csrf: string;
  link: string;
  execute: boolean;
}): string {
  const { request, sizes, cells } = options;
  const { launch } = request;
  const rows = request.datasets
    .map((dataset: Dataset, index: number) => {
      const size = sizes[index];
      const sizeText = size?.bytes != null ? formatBytes(size.bytes) : (size?.note ?? 'size unknown');
      const url = new URL(dataset.url);
      return `<tr><td>${esc(DATASET_KIND_LABELS[dataset.kind])}</td><td>${esc(dataset.title)}<br><small><code>${esc(dataset.url)}</code></small></td><td>${esc(url.host)}</td><td data-size>${esc(sizeText)}</td></tr>`;
    })
    .join('\n');
  const code = cells
    .map((cell, index) => `<details${index === 0 ? ' open' : ''} data-cell-language="${esc(cell.language)}"><summary>${esc(cell.label)}</summary><pre><code>${esc(cell.code)}</code></pre></details>`)
    .join('\n');
  const effect = options.execute
    ? 'and run it, so the data is in <code>' + esc(request.into) + '</code> when the notebook opens'
    : 'at the top of the notebook; run it there to fetch the data into <code>' + esc(request.into) + '</code>';
  const body = `
<h1>Stage data for this workflow?</h1>
<p class="who">Signed in as <strong>${esc(options.user)}</strong>. Nothing has been changed yet.</p>
<h2>Workflow</h2>
<dl>
<dt>Repository</dt><dd><code>${esc(launch.repo)}</code>${launch.branch ? ` (branch <code>${esc(launch.branch)}</code>, its latest commit)` : ' (default branch, its latest commit)'}</dd>
<dt>Notebook</dt><dd><code>${esc(launch.notebook)}</code></dd>
<dt>Catalog entry</dt><dd><code>${esc(request.workflow)}</code> (facility <code>${esc(request.facility)}</code>)</dd>
</dl>
<h2>Data sets (${request.datasets.length})</h2>
<table class="datasets"><thead><tr><th>Kind</th><th>Data set</th><th>Host</th><th>Size</th></tr></thead><tbody>
${rows}
</tbody></table>
<h2>What will happen</h2>
<ol>
<li>Your server is started if it is not running.</li>
<li>The workflow is pulled into <code>${esc(launch.targetPath)}</code> in your home (nbgitpuller).</li>
<li>One cell, tagged <code>ida-staging</code>, is written at the top of the notebook (replacing an earlier one) ${effect}.</li>
<li>The notebook opens.</li>
</ol>
<h2>The staging cell</h2>
<p>It is written in the notebook's kernel language:</p>
${code}
<form method="post" action="${esc(options.prefix)}stage">
<input type="hidden" name="csrf" value="${esc(options.csrf)}">
<input type="hidden" name="link" value="${esc(options.link)}">
<button type="submit">Stage the data and open the notebook</button>
</form>
<p><small>Did not expect this page? Close it: nothing happens unless you press the button.</small></p>`;
  return page(options.prefix, 'Confirm', body);
}

export function progressPage(prefix: string, jobPath: string, steps: readonly string[]): string {
  const items = steps.map((step) => `<li>${esc(step)}</li>`).join('\n');
  const body = `
<h1>Staging your data…</h1>
<ol class="steps" data-steps data-status="${esc(jobPath)}/status" aria-live="polite">
${items}
</ol>
<p><small>This page follows the progress and opens the notebook when it is ready.</small></p>`;
  return page(prefix, 'Staging', body, { refresh: '2', script: true });
}

export function errorPage(prefix: string, title: string, messages: readonly string[], options: { retry?: string } = {}): string {
  const list = messages.map((message) => `<li>${esc(message).replace(/\n/g, '<br>')}</li>`).join('\n');
  const body = `
<h1>${esc(title)}</h1>
<ul class="problems">
${list}
</ul>
${options.retry ? `<p><a href="${esc(options.retry)}">Try again</a></p>` : ''}
<p><small>The data staging service of this hub. Nothing was changed unless a step above says so.</small></p>`;
  return page(prefix, title, body);
}

export function landingPage(prefix: string): string {
  return page(prefix, 'Data staging', `
<h1>Data staging</h1>
<p>This service opens a workflow from the catalog with its data sets: follow a Launch link with data sets from the catalog's cart.</p>
<p><a href="${esc(prefix)}info">What this service offers (JSON)</a></p>`);
}

export const STYLESHEET = `
body { font: 16px/1.5 system-ui, sans-serif; margin: 0; color: #1d1d1f; background: #fafafa; }
main { max-width: 52rem; margin: 2rem auto; padding: 0 1rem; }
code, pre { font-family: ui-monospace, monospace; font-size: 0.9em; }
pre { background: #f0f0f3; padding: 0.75rem; overflow: auto; max-height: 24rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid #ddd; vertical-align: top; overflow-wrap: anywhere; }
dt { font-weight: 600; }
button { font-size: 1rem; padding: 0.6rem 1.2rem; margin: 1rem 0; cursor: pointer; }
.problems li { color: #9b1c1c; }
`;

/** Follows a job: asks for its status (long poll) and shows each new step; opens the notebook when done. */
export const PROGRESS_SCRIPT = `
(function () {
  var list = document.querySelector('[data-steps]');
  if (!list) return;
  var statusUrl = list.getAttribute('data-status');
  var shown = list.children.length;
  function add(text) { var item = document.createElement('li'); item.textContent = text; list.appendChild(item); }
  function poll() {
    fetch(statusUrl + '?after=' + shown, { credentials: 'same-origin', cache: 'no-store' })
      .then(function (response) { return response.json(); })
      .then(function (status) {
        (status.steps || []).forEach(add);
        shown += (status.steps || []).length;
        if (status.state === 'running') poll();
        else location.replace(statusUrl.replace(/\\/status$/, ''));
      })
      .catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
`;
