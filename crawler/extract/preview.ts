/**
 * A notebook → its render-ready, size-capped preview (catalog/previews/<id>.json) and the images it shows.
 * Text stays text (ANSI colour codes stripped), HTML stays raw and marked for the site to sanitise, images become
 * validated media files; JavaScript, widgets and SVG are omitted with a reason, never passed on.
 */
import { type NotebookPreview, type PreviewCell, type PreviewOutput, SCHEMA_VERSION } from '../../catalog/contract/index.js';
import { type MediaImage, decodeImage } from './media.js';
import { type NbOutput, type Notebook, mimeText } from './notebook.js';

export const PREVIEW_LIMITS = {
  /** Whole preview, in characters of JSON (roughly bytes). */
  total: 200_000,
  source: 20_000,
  text: 10_000,
  html: 50_000,
  images: 40,
} as const;

export type ImageCache = Map<unknown, ReturnType<typeof decodeImage>>;

/** Images are decoded once per output value, whether the preview or the thumbnail asks first. */
export function cachedImage(cache: ImageCache, mime: string, value: unknown, maxBytes: number): ReturnType<typeof decodeImage> {
  let result = cache.get(value);
  if (!result) {
    result = decodeImage(mime, mimeText(value) ?? '', maxBytes);
    cache.set(value, result);
  }
  return result;
}

const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;

export function stripAnsi(text: string): string {
  return text.includes('\u001b') ? text.replace(ANSI, '') : text;
}

function cap(text: string, max: number): { text: string; truncated: boolean } {
  return text.length <= max ? { text, truncated: false } : { text: text.slice(0, max), truncated: true };
}

const WIDGET = 'application/vnd.jupyter.widget-view+json';
const IMAGES = ['image/png', 'image/jpeg'];
const TEXTUAL = ['text/markdown', 'text/latex', 'text/plain'];
const OMIT_REASONS: [RegExp, string][] = [
  [/^image\/svg\+xml$/, 'SVG is not shown: it can carry script'],
  [/javascript|ecmascript/, 'JavaScript output is not run in the catalog'],
  [/^application\/vnd\.jupyter\.widget/, 'interactive widget: needs a running kernel'],
  [/^application\/vnd\./, 'interactive output: needs its JavaScript renderer'],
];

function omitReason(mime: string): string {
  for (const [pattern, reason] of OMIT_REASONS) if (pattern.test(mime)) return reason;
  return `${mime} output is not shown`;
}

export type PreviewResult = { preview: NotebookPreview; images: MediaImage[]; problems: string[] };

export function buildPreview(id: string, language: string | null, notebook: Notebook, maxMediaBytes: number, images: ImageCache): PreviewResult {
  const cells: PreviewCell[] = [];
  const shown: MediaImage[] = [];
  const problems = new Set<string>();
  let budget: number = PREVIEW_LIMITS.total;
  let truncated = false;

  /** null for an empty display (IRkernel writes those): nothing to show, nothing to omit. */
  const render = (output: NbOutput): PreviewOutput | null => {
    if (output.type === 'stream') {
      const text = cap(stripAnsi(output.text), PREVIEW_LIMITS.text);
      return { type: 'text', stream: output.name === 'stderr' ? 'stderr' : 'stdout', ...text };
    }
    if (output.type === 'error') {
      const traceback = stripAnsi(output.traceback.join('\n'));
      return { type: 'error', ename: output.ename.slice(0, 200), evalue: stripAnsi(output.evalue).slice(0, 2000), traceback: cap(traceback, PREVIEW_LIMITS.text).text };
    }
    if (output.type === 'unknown') return { type: 'omitted', mime: 'application/octet-stream', reason: `unknown output type "${output.outputType.slice(0, 50)}"` };
    const data = output.data;
    if (WIDGET in data) return { type: 'omitted', mime: WIDGET, reason: omitReason(WIDGET) };
    for (const mime of IMAGES) {
      if (!(mime in data)) continue;
      if (shown.length >= PREVIEW_LIMITS.images) return { type: 'omitted', mime, reason: `more than ${PREVIEW_LIMITS.images} images in this notebook` };
      const result = cachedImage(images, mime, data[mime], maxMediaBytes);
      if (result.ok) {
        shown.push(result.image);
        return { type: 'image', src: result.image.path, width: result.image.width, height: result.image.height };
      }
      problems.add(`an ${mime} output was not used: ${result.reason}`);
    }
    if ('text/html' in data) {
      const html = cap(mimeText(data['text/html']) ?? '', PREVIEW_LIMITS.html);
      return { type: 'html', html: html.text, truncated: html.truncated };
    }
    for (const mime of TEXTUAL) {
      if (mime in data) return { type: 'text', stream: null, ...cap(mimeText(data[mime]) ?? '', PREVIEW_LIMITS.text) };
    }
    const mime = Object.keys(data)[0];
    return mime === undefined ? null : { type: 'omitted', mime: mime.slice(0, 200), reason: omitReason(mime) };
  };

  for (const cell of notebook.cells) {
    const source = cap(cell.source, PREVIEW_LIMITS.source);
    const cost = source.text.length + 60;
    if (cost > budget) {
      truncated = true;
      break;
    }
    budget -= cost;
    if (source.truncated) truncated = true;
    const outputs: PreviewOutput[] = [];
    for (const output of cell.outputs) {
      const rendered = render(output);
      if (rendered === null) continue;
      const size = outputSize(rendered);
      if (size > budget) {
        truncated = true;
        if (rendered.type === 'image') shown.pop();
        outputs.push({ type: 'omitted', mime: rendered.type === 'omitted' ? rendered.mime : `output/${rendered.type}`, reason: 'preview size cap reached' });
        budget = Math.max(0, budget - 100);
        continue;
      }
      budget -= size;
      if (('truncated' in rendered && rendered.truncated) || (rendered.type === 'error' && rendered.traceback.length === PREVIEW_LIMITS.text)) truncated = true;
      outputs.push(rendered);
    }
    cells.push({ type: cell.type, source: source.text, executionCount: cell.executionCount, outputs });
  }
  return { preview: { schemaVersion: SCHEMA_VERSION, id, language, cells, truncated }, images: shown, problems: [...problems] };
}

function outputSize(output: PreviewOutput): number {
  switch (output.type) {
    case 'text':
      return output.text.length + 60;
    case 'html':
      return output.html.length + 60;
    case 'error':
      return output.traceback.length + output.evalue.length + 80;
    default:
      return 120;
  }
}
