/**
 * A parsed .ipynb of any version → one normal form (nbformat 4 shapes): v3 worksheets flattened, v3 heading
 * cells as markdown, v3 output keys as MIME types, `source` joined. Structural problems become warnings, never
 * exceptions; the nbformat JSON schema's rules that matter to a reader are checked (cell ids, types, metadata).
 */
import type * as nbformat from '@jupyterlab/nbformat';
import type { Warnings } from './warnings.js';

/** The cell types nbformat 4 defines (nbformat.CellType also admits any string, which we refuse). */
export type CellType = 'markdown' | 'code' | 'raw';

/** nbformat 4 outputs, their MultilineStrings joined; anything else is kept as "unknown" to be reported. */
export type NbOutput =
  | { type: Extract<nbformat.OutputType, 'stream'>; name: string; text: string }
  | { type: Extract<nbformat.OutputType, 'execute_result' | 'display_data'>; data: nbformat.IMimeBundle | Record<string, unknown> }
  | { type: Extract<nbformat.OutputType, 'error'>; ename: string; evalue: string; traceback: string[] }
  | { type: 'unknown'; outputType: string };

export type NbCell = { type: CellType; source: string; executionCount: nbformat.ExecutionCount; outputs: NbOutput[]; language?: string };

export type Notebook = {
  /** "4.5", "3.0", "2"; "0" when the file does not say. */
  nbformat: string;
  major: number;
  /** nbformat.INotebookMetadata as found in the file: every field is checked before use, since files do not follow the schema. */
  metadata: Record<string, unknown>;
  cells: NbCell[];
};

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asString(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** v4 multiline strings (nbformat.MultilineString): a string or a list of strings joined as they are. */
function joinV4(value: nbformat.MultilineString | unknown): string | null {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.every((line) => typeof line === 'string') ? value.join('') : value.filter((line) => typeof line === 'string').join('');
  return null;
}

/** v2/v3 lists sometimes lack line ends (nbformat's own reader joins them with "\n" then). */
function joinV3(value: unknown): string | null {
  if (Array.isArray(value) && value.length > 0 && typeof value[0] === 'string' && !/[\r\n]$/.test(value[0])) {
    return value.filter((line) => typeof line === 'string').join('\n');
  }
  return joinV4(value);
}

const V3_MIME: Record<string, string> = {
  text: 'text/plain',
  html: 'text/html',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpeg: 'image/jpeg',
  latex: 'text/latex',
  json: 'application/json',
  javascript: 'application/javascript',
  markdown: 'text/markdown',
  pdf: 'application/pdf',
};
const V3_OUTPUT_TYPES: Record<string, string> = { pyout: 'execute_result', pyerr: 'error' };
const CELL_ID = /^[a-zA-Z0-9-_]{1,64}$/;

export function normaliseNotebook(value: unknown, warnings: Warnings): Notebook {
  if (!isObject(value)) {
    warnings.add(`is not a notebook: the JSON top level is ${Array.isArray(value) ? 'a list' : typeof value}, expected an object with "cells"`);
    return { nbformat: '0', major: 0, metadata: {}, cells: [] };
  }
  const plausible = (version: unknown): version is number => typeof version === 'number' && Number.isInteger(version) && version >= 0 && version < 1000;
  let major = plausible(value.nbformat) ? value.nbformat : NaN;
  if (Number.isNaN(major)) {
    major = 'worksheets' in value ? 3 : 4;
    warnings.add(`has no valid "nbformat" version; read as nbformat ${major}`);
  }
  const minor = plausible(value.nbformat_minor) ? value.nbformat_minor : null;
  if (minor === null && major >= 3) warnings.add('has no "nbformat_minor"');
  const nbformat = `${major}${minor === null ? '' : `.${minor}`}`;
  let metadata: Json = {};
  if (isObject(value.metadata)) metadata = value.metadata;
  else warnings.add('has no notebook "metadata" object');
  checkNotebookMetadata(metadata, warnings);

  if (major <= 2) {
    warnings.add(`is nbformat ${major}, which is obsolete (Jupyter reads 3 and 4); only a minimal record was made — open and save it in Jupyter to upgrade`);
    return { nbformat, major, metadata, cells: [] };
  }
  if (major > 4) warnings.add(`is nbformat ${major}, newer than this reader knows (4); read as nbformat 4`);
  const cells = major === 3 ? cellsV3(value, warnings) : cellsV4(value, minor ?? 0, warnings);
  return { nbformat, major, metadata, cells };
}

function checkNotebookMetadata(metadata: Json, warnings: Warnings): void {
  if ('kernelspec' in metadata && !isObject(metadata.kernelspec)) warnings.add('metadata.kernelspec is not an object; ignored');
  if ('language_info' in metadata && !isObject(metadata.language_info)) warnings.add('metadata.language_info is not an object; ignored');
  if ('authors' in metadata && !Array.isArray(metadata.authors)) warnings.add('metadata.authors is not a list; ignored');
}

function cellsV4(notebook: Json, minor: number, warnings: Warnings): NbCell[] {
  if (!Array.isArray(notebook.cells)) {
    warnings.add(`has no "cells" list (${'cells' in notebook ? `"cells" is ${typeof notebook.cells}` : 'missing'}); no cells read`);
    return [];
  }
  const cells: NbCell[] = [];
  const ids = new Set<string>();
  notebook.cells.forEach((raw: unknown, index: number) => {
    const where = `cell ${index + 1}`;
    if (!isObject(raw)) {
      warnings.add(`${where} is not an object; skipped`);
      return;
    }
    if (minor >= 5) checkCellId(raw.id, where, ids, warnings);
    let type = raw.cell_type;
    if (type === 'heading') {
      warnings.add(`${where} is a "heading" cell, which nbformat 4 does not have; read as markdown`);
    } else if (type !== 'markdown' && type !== 'code' && type !== 'raw') {
      warnings.add(`${where} has unknown cell_type ${JSON.stringify(type)}; skipped`);
      return;
    }
    let source = joinV4(raw.source);
    if (source === null) {
      warnings.add(`${where} has no "source" (string or list of strings); read as empty`);
      source = '';
    }
    if (type === 'heading') {
      source = headingSource(source, raw.level);
      type = 'markdown';
    }
    checkCellMetadata(raw.metadata, where, warnings);
    if (type !== 'code') {
      cells.push({ type: type as CellType, source, executionCount: null, outputs: [] });
      return;
    }
    const executionCount = executionCountOf(raw.execution_count, where, warnings);
    const outputs = Array.isArray(raw.outputs) ? raw.outputs.map((output) => outputV4(output, where, warnings)) : [];
    if (!Array.isArray(raw.outputs)) warnings.add(`${where} is a code cell without an "outputs" list`);
    cells.push({ type: 'code', source, executionCount, outputs });
  });
  return cells;
}

function checkCellId(id: unknown, where: string, ids: Set<string>, warnings: Warnings): void {
  if (id === undefined) {
    warnings.add('has cells without an "id", which nbformat 4.5 requires');
  } else if (typeof id !== 'string' || !CELL_ID.test(id)) {
    warnings.add(`${where} has an invalid id ${JSON.stringify(id)} (1–64 letters, digits, "-" or "_")`);
  } else if (ids.has(id)) {
    warnings.add(`${where} repeats the cell id "${id}"; cell ids must be unique`);
  } else ids.add(id);
}

const BOOLEAN_CELL_METADATA = ['collapsed', 'scrolled', 'deletable', 'editable'];

function checkCellMetadata(metadata: unknown, where: string, warnings: Warnings): void {
  if (metadata === undefined) return;
  if (!isObject(metadata)) {
    warnings.add(`${where} metadata is not an object`);
    return;
  }
  const bad: string[] = [];
  for (const key of BOOLEAN_CELL_METADATA) {
    if (key in metadata && typeof metadata[key] !== 'boolean' && !(key === 'scrolled' && metadata[key] === 'auto')) bad.push(key);
  }
  if ('tags' in metadata && !(Array.isArray(metadata.tags) && metadata.tags.every((tag) => typeof tag === 'string'))) bad.push('tags');
  if ('name' in metadata && typeof metadata.name !== 'string') bad.push('name');
  if ('jupyter' in metadata && !isObject(metadata.jupyter)) bad.push('jupyter');
  if ('execution' in metadata && !isObject(metadata.execution)) bad.push('execution');
  if (bad.length) warnings.add(`${where} has invalid metadata (${bad.join(', ')}); ignored`);
}

function executionCountOf(value: unknown, where: string, warnings: Warnings): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  warnings.add(`${where} has an invalid execution count ${JSON.stringify(value)}`);
  return null;
}

function headingSource(text: string, level: unknown): string {
  const depth = typeof level === 'number' && level >= 1 && level <= 6 ? Math.floor(level) : 1;
  return `${'#'.repeat(depth)} ${text.replace(/\s*\n\s*/g, ' ')}`;
}

function outputV4(raw: unknown, where: string, warnings: Warnings): NbOutput {
  if (!isObject(raw)) {
    warnings.add(`${where} has an output that is not an object`);
    return { type: 'unknown', outputType: typeof raw };
  }
  const type = raw.output_type;
  if (type === 'stream') {
    const name = typeof raw.name === 'string' ? raw.name : 'stdout';
    return { type: 'stream', name, text: joinV4(raw.text) ?? '' };
  }
  if (type === 'execute_result' || type === 'display_data') {
    return { type, data: isObject(raw.data) ? raw.data : {} };
  }
  if (type === 'error') {
    return {
      type: 'error',
      ename: asString(raw.ename) ?? 'Error',
      evalue: asString(raw.evalue) ?? '',
      traceback: Array.isArray(raw.traceback) ? raw.traceback.filter((line): line is string => typeof line === 'string') : [],
    };
  }
  warnings.add(`${where} has an output of unknown type ${JSON.stringify(type)}; not shown`);
  return { type: 'unknown', outputType: String(type) };
}

function cellsV3(notebook: Json, warnings: Warnings): NbCell[] {
  if (!Array.isArray(notebook.worksheets)) {
    warnings.add('is nbformat 3 without a "worksheets" list; no cells read');
    return [];
  }
  const cells: NbCell[] = [];
  notebook.worksheets.forEach((sheet: unknown, sheetIndex: number) => {
    if (!isObject(sheet) || !Array.isArray(sheet.cells)) {
      warnings.add(`worksheet ${sheetIndex + 1} has no "cells" list; skipped`);
      return;
    }
    sheet.cells.forEach((raw: unknown, index: number) => {
      const where = `cell ${cells.length + 1}`;
      void index;
      if (!isObject(raw)) {
        warnings.add(`${where} is not an object; skipped`);
        return;
      }
      const type = raw.cell_type;
      if (type === 'markdown' || type === 'raw' || type === 'html') {
        cells.push({ type: type === 'raw' ? 'raw' : 'markdown', source: joinV3(raw.source) ?? '', executionCount: null, outputs: [] });
      } else if (type === 'heading') {
        cells.push({ type: 'markdown', source: headingSource(joinV3(raw.source) ?? '', raw.level), executionCount: null, outputs: [] });
      } else if (type === 'code') {
        const outputs = Array.isArray(raw.outputs) ? raw.outputs.map((output) => outputV3(output, where, warnings)) : [];
        cells.push({
          type: 'code',
          source: joinV3(raw.input) ?? '',
          executionCount: executionCountOf(raw.prompt_number, where, warnings),
          outputs,
          ...(typeof raw.language === 'string' ? { language: raw.language } : {}),
        });
      } else {
        warnings.add(`${where} has unknown cell_type ${JSON.stringify(type)}; skipped`);
      }
    });
  });
  return cells;
}

function outputV3(raw: unknown, where: string, warnings: Warnings): NbOutput {
  if (!isObject(raw)) return outputV4(raw, where, warnings);
  const outputType = typeof raw.output_type === 'string' ? (V3_OUTPUT_TYPES[raw.output_type] ?? raw.output_type) : raw.output_type;
  if (outputType === 'stream') return { type: 'stream', name: asString(raw.stream) ?? 'stdout', text: joinV3(raw.text) ?? '' };
  if (outputType === 'execute_result' || outputType === 'display_data') {
    const data: Json = {};
    for (const [key, mime] of Object.entries(V3_MIME)) {
      if (key in raw) data[mime] = raw[key];
    }
    return { type: outputType, data };
  }
  return outputV4({ ...raw, output_type: outputType }, where, warnings);
}

/** A MIME bundle value as text: v4 strings or lists of strings. */
export function mimeText(value: unknown): string | null {
  return joinV4(value);
}
