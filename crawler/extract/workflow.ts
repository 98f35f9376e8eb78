/**
 * One notebook file → its Workflow record, preview and media. Every failure becomes a warning on the record;
 * a notebook that cannot be read at all still gets a minimal record (title from the sidecar or file name).
 */
import { type Environment, type NotebookFormat, type NotebookPreview, type RepositoryRef, SCHEMA_VERSION, type Workflow } from '../../catalog/contract/index.js';
import { keywordList } from './citation.js';
import { importsOf } from './imports/index.js';
import { sortedUnique } from './imports/shared.js';
import { decodeText, parseJson } from './json.js';
import { kernelOf, runtimePlatform } from './kernel.js';
import type { MediaImage } from './media.js';
import { type NbCell, type Notebook, isObject, normaliseNotebook } from './notebook.js';
import { type ImageCache, buildPreview, cachedImage } from './preview.js';
import { parseTextNotebook } from './textnotebook.js';
import { type Sidecar, describeNotebook, titleFromPath } from './title.js';
import { Warnings } from './warnings.js';

export type NotebookContext = {
  id: string;
  path: string;
  size: number;
  repository: RepositoryRef;
  updatedAt: string;
  sidecar: Sidecar | null;
  topics: string[];
  authors: string[];
  license: string | null;
  environment: Environment | null;
  maxMediaBytes: number;
};

export type NotebookResult = { workflow: Workflow; preview: NotebookPreview; media: MediaImage[] };

export function extractNotebook(bytes: Buffer, context: NotebookContext): NotebookResult {
  const warnings = new Warnings(context.path);
  const decoded = decodeText(bytes);
  warnings.addAll(decoded.warnings);
  const parsed = parseJson(decoded.text);
  warnings.addAll(parsed.warnings);
  if (!parsed.ok) {
    warnings.add(`${parsed.error}; only a minimal record was made`);
    return minimalNotebook(context, warnings, false);
  }
  return notebookRecord(normaliseNotebook(parsed.value, warnings), 'ipynb', context, warnings);
}

/**
 * A text notebook (MyST, Jupytext markdown, percent script) → the same record, preview and media as an .ipynb;
 * null when the file is not one (a README, a docs page, a module), which is no warning: most such files are not.
 */
export function extractTextNotebook(bytes: Buffer, context: NotebookContext): NotebookResult | null {
  const warnings = new Warnings(context.path);
  const decoded = decodeText(bytes);
  const found = parseTextNotebook(context.path, decoded.text, warnings);
  if (!found) return null;
  warnings.addAll(decoded.warnings);
  return notebookRecord(found.notebook, found.format, context, warnings);
}

function notebookRecord(notebook: Notebook, format: NotebookFormat, context: NotebookContext, warnings: Warnings): NotebookResult {
  const { kernel, language } = kernelOf(notebook);
  const { title, description, keywords: sectionKeywords, authors: sectionAuthors } = describeNotebook(context.path, notebook.metadata, notebook.cells, context.sidecar);
  const { imports, installs } = importsOf(language, notebook.cells.filter((cell) => cell.type === 'code').map((cell) => cell.source));
  const images: ImageCache = new Map();
  const { preview, images: shown, problems } = buildPreview(context.id, language, notebook, context.maxMediaBytes, images);
  warnings.addAll(problems);
  const thumbnail = thumbnailOf(notebook, images, context.maxMediaBytes);
  const media = thumbnail && !shown.includes(thumbnail) ? [...shown, thumbnail] : shown;
  const workflow: Workflow = {
    ...baseRecord(context, title, description, keywordsOf(context, notebook.metadata, sectionKeywords), format),
    authors: notebookAuthors(notebook.metadata) ?? firstNonEmpty(context.sidecar?.authors, sectionAuthors) ?? context.authors,
    kernel,
    language,
    imports,
    installs,
    cells: countCells(notebook.cells),
    nbformat: notebook.nbformat,
    execution: executionOf(notebook.cells),
    thumbnail: thumbnail?.path ?? null,
    runtimePlatform: runtimePlatform(language),
    warnings: warnings.list(),
  };
  return { workflow, preview, media };
}

/** The record of a notebook we could not read (too large, not JSON): what the path and sidecar tell. */
export function minimalNotebook(context: NotebookContext, warnings: Warnings, truncated: boolean, nbformat = '0', format: NotebookFormat = 'ipynb'): NotebookResult {
  const sidecar = context.sidecar;
  const workflow: Workflow = {
    ...baseRecord(context, sidecar?.title || titleFromPath(context.path), sidecar?.description ?? '', keywordsOf(context, {}), format),
    authors: firstNonEmpty(sidecar?.authors) ?? context.authors,
    kernel: null,
    language: null,
    imports: [],
    installs: [],
    cells: { code: 0, markdown: 0, raw: 0 },
    nbformat,
    execution: { hasOutputs: false, inOrder: null },
    thumbnail: null,
    runtimePlatform: null,
    warnings: warnings.list(),
  };
  return { workflow, preview: { schemaVersion: SCHEMA_VERSION, id: context.id, language: null, cells: [], truncated }, media: [] };
}

function baseRecord(context: NotebookContext, title: string, description: string, keywords: string[], format: NotebookFormat) {
  return {
    id: context.id,
    title: title.slice(0, 300),
    description: description.slice(0, 2000),
    keywords,
    license: context.license,
    repository: context.repository,
    path: context.path,
    format,
    environment: context.environment,
    workflowType: 'notebook' as const,
    updatedAt: context.updatedAt,
    size: context.size,
  };
}

/** Sidecar keywords, notebook `metadata.keywords`/`tags`, repository topics: lower case, sorted, unique. */
function keywordsOf(context: NotebookContext, metadata: Record<string, unknown>, fromMarkdown: string[] = []): string[] {
  const all = [...(context.sidecar?.keywords ?? []), ...keywordList(metadata.keywords), ...keywordList(metadata.tags), ...fromMarkdown, ...context.topics];
  return sortedUnique(all.map((keyword) => keyword.toLowerCase().replace(/\s+/g, ' ')));
}

function firstNonEmpty(...lists: (string[] | undefined)[]): string[] | null {
  for (const list of lists) if (list && list.length) return [...new Set(list)];
  return null;
}

/** `metadata.authors`: a list of `{name}` objects (nbformat) or of strings. */
function notebookAuthors(metadata: Record<string, unknown>): string[] | null {
  if (!Array.isArray(metadata.authors)) return null;
  const names = metadata.authors
    .map((author: unknown) => (typeof author === 'string' ? author : isObject(author) && typeof author.name === 'string' ? author.name : ''))
    .map((name) => name.replace(/\s+/g, ' ').trim().slice(0, 200))
    .filter(Boolean);
  return names.length ? [...new Set(names)] : null;
}

function countCells(cells: NbCell[]) {
  const counts = { code: 0, markdown: 0, raw: 0 };
  for (const cell of cells) counts[cell.type]++;
  return counts;
}

/** Outputs present; execution counts strictly increasing top to bottom (null when nothing ran). */
function executionOf(cells: NbCell[]): Workflow['execution'] {
  let hasOutputs = false;
  let previous: number | null = null;
  let inOrder: boolean | null = null;
  for (const cell of cells) {
    if (cell.type !== 'code') continue;
    if (cell.outputs.length > 0) hasOutputs = true;
    if (cell.executionCount === null) continue;
    inOrder = (inOrder ?? true) && (previous === null || cell.executionCount > previous);
    previous = cell.executionCount;
  }
  return { hasOutputs, inOrder };
}

const THUMBNAIL_MIMES = ['image/png', 'image/jpeg'];

/** The largest valid PNG/JPEG output by area; among equals the last (the final plot is usually the result). */
function thumbnailOf(notebook: Notebook, images: ImageCache, maxBytes: number): MediaImage | null {
  let best: MediaImage | null = null;
  for (const cell of notebook.cells) {
    for (const output of cell.outputs) {
      if (output.type !== 'execute_result' && output.type !== 'display_data') continue;
      for (const mime of THUMBNAIL_MIMES) {
        if (!(mime in output.data)) continue;
        const result = cachedImage(images, mime, output.data[mime], maxBytes);
        if (result.ok && (!best || result.image.width * result.image.height >= best.width * best.height)) best = result.image;
        if (result.ok) break;
      }
    }
  }
  return best;
}
