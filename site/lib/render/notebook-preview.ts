/**
 * A notebook preview (catalog/previews/<id>.json) as HTML. Every string in it is untrusted: markdown (through
 * marked) and HTML outputs go through the sanitiser (sanitize.ts), code through Astro's Prism highlighter
 * (site/lib/highlight.ts: tokens escaped, colours for light and dark in styles/global.css; cells past
 * HIGHLIGHTED_CELLS, and oversized ones, shown escaped but unhighlighted), everything else through the escaping
 * `html` tag. Long text outputs fold into <details>; images are capped in size by CSS. Outputs of mime "none"
 * (empty outputs) are not shown. A pure function of the preview and the site's base path: the build renders
 * every preview beforehand, in worker threads, into a cache (workflow-preview.ts).
 */
import type { NotebookPreview } from '../../../catalog/contract/index.js';
import { HIGHLIGHTED_CELLS, codeHtml, plainCodeHtml } from '../highlight.js';
import { foldText, highlightLanguage, shownOutputs } from '../preview.js';
import { markdownHtml, mediaHref, sanitizeAll } from '../sanitize.js';
import { html, trusted, type SafeHtml } from './html.js';

type Cell = NotebookPreview['cells'][number];
type Output = Cell['outputs'][number];

/** `sanitizedOf` holds each text/html output's sanitised HTML (and each markdown cell's). */
function outputHtml(output: Output, base: string, sanitizedOf: ReadonlyMap<Cell | Output, string>): SafeHtml {
  switch (output.type) {
    case 'text': {
      const folded = foldText(output.text);
      const body =
        folded.rest === null
          ? html`<pre>${output.text}</pre>`
          : html`<pre>${folded.head}</pre><details><summary>Show ${folded.hiddenLines} more lines</summary><pre>${folded.rest}</pre></details>`;
      const truncated = output.truncated && html`<p class="nb-omitted">Output truncated by the catalog.</p>`;
      return html`<div class="${`nb-output ${output.stream ?? 'result'}`}">${body}${truncated}</div>`;
    }
    case 'image':
      return html`<div class="nb-output"><img src="${mediaHref(base, output.src)}" width="${output.width}" height="${output.height}" alt="Figure produced by this cell" loading="lazy" decoding="async"></div>`;
    case 'html':
      return html`<div class="nb-output nb-html">${trusted(sanitizedOf.get(output)!)}</div>`;
    case 'error':
      return html`<div class="nb-output error"><pre>${output.traceback.trim() || `${output.ename}: ${output.evalue}`}</pre></div>`;
    default:
      return html`<p class="nb-output nb-omitted">Output not shown (${output.mime}): ${output.reason}</p>`;
  }
}

export function notebookPreviewHtml(preview: NotebookPreview, base: string): string {
  const lang = highlightLanguage(preview.language);
  // Every markdown cell and every HTML output of the notebook goes through the sanitiser in one pass, in order.
  const sanitizedOf = new Map<Cell | Output, string>();
  const untrusted: Array<[Cell | Output, string]> = [];
  for (const cell of preview.cells) {
    if (cell.type === 'markdown') untrusted.push([cell, markdownHtml(cell.source)]);
    for (const output of cell.outputs) if (output.type === 'html') untrusted.push([output, output.html]);
  }
  const safe = sanitizeAll(untrusted.map(([, fragment]) => fragment), base, 2);
  untrusted.forEach(([owner], index) => sanitizedOf.set(owner, safe[index]!));
  let codeCells = 0;
  const cells: SafeHtml[] = [];
  for (const cell of preview.cells) {
    let source: SafeHtml;
    if (cell.type === 'code') {
      codeCells += 1;
      source = trusted(codeCells <= HIGHLIGHTED_CELLS ? codeHtml(cell.source, lang) : plainCodeHtml(cell.source, lang));
    } else if (cell.type === 'markdown') {
      source = html`<div class="nb-markdown">${trusted(sanitizedOf.get(cell)!)}</div>`;
    } else {
      source = html`<pre>${cell.source}</pre>`;
    }
    const prompt = cell.type === 'code' ? `[${cell.executionCount ?? ' '}]:` : '';
    const outputs = shownOutputs(cell.outputs).map((output) => outputHtml(output, base, sanitizedOf));
    cells.push(html`<div class="${`nb-cell nb-${cell.type}`}"><div class="nb-prompt" aria-hidden="true">${prompt}</div><div>${source}${outputs}</div></div>`);
  }
  const shortened = preview.truncated && html`<p class="notice">The preview is shortened; download the notebook to see every cell.</p>`;
  return html`<div class="notebook notebook-frame">${cells}${shortened}</div>`.value;
}
