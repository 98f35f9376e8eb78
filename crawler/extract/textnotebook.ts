/**
 * Text notebooks: files Jupytext opens as notebooks. Three formats are read into the same normal form as an
 * .ipynb (./notebook.ts), so every rule for titles, kernels, imports and previews applies unchanged:
 * - MyST markdown (`.md`): a YAML front matter with `jupytext:`/`kernelspec:`, ```` ```{code-cell} ```` directives,
 *   `+++` between markdown cells;
 * - Jupytext markdown (`.md`): the notebook metadata under `jupyter:` in the front matter, code cells as fenced code
 *   with a language, `<!-- #region -->`/`<!-- #raw -->` markers;
 * - percent scripts (`.py`, `.R`, `.jl`): the same front matter as comment lines, then `# %%` cells.
 * The front matter is parsed by `yaml`, markdown by `marked`'s lexer (so a `+++` or a fence inside a code block is
 * code, not a cell break). A file without the front matter is not a notebook (a README, a docs page, a module): null.
 */
import { Lexer, type Token, type Tokens } from 'marked';
import { parseBoundedYaml } from './yaml.js';
import type { NotebookFormat } from '../../catalog/contract/index.js';
import { type NbCell, type Notebook, isObject } from './notebook.js';
import { basename } from './select.js';
import type { Warnings } from './warnings.js';

export type TextFormat = Exclude<NotebookFormat, 'ipynb'>;
export type TextNotebook = { format: TextFormat; notebook: Notebook };

/** Extensions Jupytext reads as notebooks in the formats we support, and the language a script's extension names. */
const MARKDOWN_EXTENSIONS = new Set(['md', 'markdown', 'myst', 'mystnb']);
const SCRIPT_LANGUAGES: Record<string, string> = { py: 'python', r: 'r', jl: 'julia' };
/** Files that are documentation or packaging by name, never notebooks (not even read). */
const NEVER_NOTEBOOKS = /^(readme|changelog|changes|history|contributing|code_of_conduct|security|license|licence|authors|notice)(\.|$)|^(setup|conftest|__init__|noxfile|tasks)\.py$/i;

function extensionOf(path: string): string {
  const name = basename(path);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** Whether a path may hold a text notebook (decided by name; the content decides). */
export function isTextNotebookCandidate(path: string): boolean {
  const extension = extensionOf(path);
  if (!MARKDOWN_EXTENSIONS.has(extension) && !(extension in SCRIPT_LANGUAGES)) return false;
  if (NEVER_NOTEBOOKS.test(basename(path))) return false;
  return !path.split('/').some((part) => part === '.ipynb_checkpoints' || part === 'node_modules');
}

/** Whether a candidate is a markdown file (MyST or Jupytext markdown) rather than a script. */
export function isMarkdownCandidate(path: string): boolean {
  return MARKDOWN_EXTENSIONS.has(extensionOf(path));
}

/** The text notebook in `text` (the content of `path`), or null when it is not one. */
export function parseTextNotebook(path: string, text: string, warnings: Warnings): TextNotebook | null {
  const extension = extensionOf(path);
  if (MARKDOWN_EXTENSIONS.has(extension)) return markdownNotebook(text, warnings);
  const language = SCRIPT_LANGUAGES[extension];
  return language ? percentNotebook(text, language, warnings) : null;
}

/** `broken`: the block names Jupyter but is not YAML (read as a notebook without metadata). */
type FrontMatter = { data: Record<string, unknown>; rest: string[]; broken: boolean };

/**
 * YAML between a first line `---` and the next `---` (or `...`) line. `prefix` is a line comment (`#`) for
 * scripts. Null when there is none, or when it is not YAML that mentions Jupyter at all.
 */
function frontMatter(lines: string[], prefix: string, warnings: Warnings): FrontMatter | null {
  const strip = (line: string) => (prefix ? (line.startsWith(`${prefix} `) ? line.slice(prefix.length + 1) : line === prefix ? '' : null) : line);
  const fence = (line: string | undefined) => line !== undefined && /^(---|\.\.\.)\s*$/.test(strip(line) ?? '');
  if (!fence(lines[0]) || strip(lines[0]!)!.startsWith('...')) return null;
  let end = 1;
  while (end < lines.length && !fence(lines[end])) {
    if (strip(lines[end]!) === null) return null; // a script whose comment block ended before the closing fence
    end += 1;
  }
  if (end === lines.length) return null;
  const block = lines.slice(1, end).map((line) => strip(line)!).join('\n');
  const mentionsJupyter = /^\s*(jupytext|kernelspec|jupyter)\s*:/m.test(block);
  let data: unknown;
  try {
    data = parseBoundedYaml(block, { uniqueKeys: false });
  } catch (error) {
    if (!mentionsJupyter) return null;
    warnings.add(`front matter is not valid YAML (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); read without its metadata`);
    return { data: {}, rest: lines.slice(end + 1), broken: true };
  }
  if (!isObject(data)) return mentionsJupyter ? { data: {}, rest: lines.slice(end + 1), broken: true } : null;
  return { data, rest: lines.slice(end + 1), broken: false };
}

/** The notebook metadata a front matter holds: MyST puts it at the top level, Jupytext's other formats under `jupyter:`. */
function notebookMetadata({ data: front, broken }: FrontMatter): { metadata: Record<string, unknown>; formatName: string | null; nested: boolean } | null {
  if (broken) return { metadata: {}, formatName: null, nested: false };
  const nested = isObject(front.jupyter) && ('jupytext' in front.jupyter || 'kernelspec' in front.jupyter);
  const topLevel = 'jupytext' in front || 'kernelspec' in front;
  if (!nested && !topLevel) return null;
  const metadata: Record<string, unknown> = nested ? { ...(front.jupyter as Record<string, unknown>) } : { ...front };
  // A page title or authors beside `jupyter:` describe the notebook too.
  if (nested) for (const key of ['title', 'authors', 'keywords']) if (key in front && !(key in metadata)) metadata[key] = front[key];
  const jupytext = isObject(metadata.jupytext) ? metadata.jupytext : null;
  const representation = jupytext && isObject(jupytext.text_representation) ? jupytext.text_representation : null;
  const formatName = typeof representation?.format_name === 'string' ? representation.format_name.toLowerCase() : null;
  return { metadata, formatName, nested };
}

function splitLines(text: string): string[] {
  return text.replace(/\r\n?/g, '\n').split('\n');
}

const cell = (type: NbCell['type'], source: string, language?: string): NbCell => ({ type, source, executionCount: null, outputs: [], ...(language ? { language } : {}) });

/** Leading and trailing blank lines removed (what Jupytext does with a cell's text). */
function trimBlankLines(text: string): string {
  return text.replace(/^(?:[ \t]*\n)+/, '').replace(/(?:\n[ \t]*)+$/, '').replace(/\n$/, '');
}

function markdownNotebook(text: string, warnings: Warnings): TextNotebook | null {
  const lines = splitLines(text);
  const front = frontMatter(lines, '', warnings);
  if (!front) return null;
  const found = notebookMetadata(front);
  if (!found) return null;
  const body = front.rest.join('\n');
  const tokens = lex(body);
  const hasCodeCells = tokens.some((token) => token.type === 'code' && directiveOf(token as Tokens.Code)?.name === 'code-cell');
  const myst = found.formatName === 'myst' || (found.formatName === null && !found.nested && hasCodeCells);
  const cells = myst ? mystCells(tokens) : jupytextMarkdownCells(tokens);
  return { format: myst ? 'myst' : 'jupytext-md', notebook: { nbformat: '4', major: 4, metadata: found.metadata, cells } };
}

function lex(markdown: string): Token[] {
  try {
    return Lexer.lex(markdown, { gfm: true });
  } catch {
    return [];
  }
}

/** A fenced block's MyST directive: ```` ```{code-cell} ipython3 ```` → code-cell, "ipython3". */
function directiveOf(token: Tokens.Code): { name: string; argument: string } | null {
  if (token.codeBlockStyle === 'indented' || !token.lang) return null;
  const match = /^\{([\w-]+)\}\s*(.*)$/.exec(token.lang.trim());
  return match ? { name: match[1]!.toLowerCase(), argument: match[2]!.trim() } : null;
}

/** A directive's body without its options (`:key: value` lines, or a `---` YAML block, at the top). */
function directiveBody(text: string): string {
  const lines = text.split('\n');
  let start = 0;
  if (/^---\s*$/.test(lines[0] ?? '')) {
    const close = lines.findIndex((line, index) => index > 0 && /^---\s*$/.test(line));
    if (close > 0) start = close + 1;
  } else {
    while (start < lines.length && /^:[\w-]+:/.test(lines[start]!)) start += 1;
  }
  return trimBlankLines(lines.slice(start).join('\n'));
}

/** Splits markdown tokens into cells: `+++` lines (only where the lexer sees prose) end a markdown cell; code-cell and raw-cell directives are cells. */
function mystCells(tokens: Token[]): NbCell[] {
  const cells: NbCell[] = [];
  let markdown = '';
  const flush = () => {
    const source = trimBlankLines(markdown);
    if (source.trim()) cells.push(cell('markdown', source));
    markdown = '';
  };
  for (const token of tokens) {
    const directive = token.type === 'code' ? directiveOf(token as Tokens.Code) : null;
    if (directive?.name === 'code-cell' || directive?.name === 'raw-cell') {
      flush();
      const source = directiveBody((token as Tokens.Code).text);
      cells.push(directive.name === 'code-cell' ? cell('code', source, directive.argument.split(/\s+/)[0] || undefined) : cell('raw', source));
    } else if (token.type === 'paragraph') {
      for (const line of token.raw.split('\n')) {
        if (/^\+\+\+(\s*\{.*\})?\s*$/.test(line)) flush();
        else markdown += `${line}\n`;
      }
    } else markdown += token.raw;
  }
  flush();
  return cells;
}

const REGION_MARKER = /^<!--\s*#?\s*(region|markdown|md|endregion|endmarkdown|endmd|raw|endraw)\b[^]*?-->\s*$/i;

/** Jupytext markdown: fenced code with a language is a code cell; markdown between; region and raw markers. */
function jupytextMarkdownCells(tokens: Token[]): NbCell[] {
  const cells: NbCell[] = [];
  let markdown = '';
  let region: 'markdown' | 'raw' | null = null;
  const flush = () => {
    const source = trimBlankLines(markdown);
    if (source.trim()) cells.push(cell(region === 'raw' ? 'raw' : 'markdown', source));
    markdown = '';
  };
  for (const token of tokens) {
    const marker = token.type === 'html' ? REGION_MARKER.exec(token.raw.trim()) : null;
    if (marker) {
      flush();
      const name = marker[1]!.toLowerCase();
      region = name === 'raw' ? 'raw' : name.startsWith('end') ? null : 'markdown';
      continue;
    }
    const code = token.type === 'code' ? (token as Tokens.Code) : null;
    const language = code && code.codeBlockStyle !== 'indented' ? (code.lang ?? '').trim().split(/\s+/)[0] : '';
    if (region === null && language) {
      flush();
      cells.push(cell('code', code!.text, language));
    } else markdown += token.raw;
  }
  flush();
  return cells;
}

const PERCENT_MARKER = /^#\s?%%(?!%)(.*)$/;

/** A percent script: the commented front matter (after an optional shebang and coding line), then `# %%` cells. */
function percentNotebook(text: string, language: string, warnings: Warnings): TextNotebook | null {
  const lines = splitLines(text);
  let start = 0;
  while (start < 2 && /^#!|^#.*coding[:=]/.test(lines[start] ?? '')) start += 1;
  const front = frontMatter(lines.slice(start), '#', warnings);
  if (!front) return null;
  const found = notebookMetadata(front);
  if (!found || (!found.nested && !front.broken)) return null;
  if (found.formatName !== null && found.formatName !== 'percent') return null;
  if (!front.rest.some((line) => PERCENT_MARKER.test(line))) return null;
  return { format: 'percent', notebook: { nbformat: '4', major: 4, metadata: found.metadata, cells: percentCells(front.rest, language) } };
}

function percentCells(lines: string[], language: string): NbCell[] {
  const cells: NbCell[] = [];
  let type: NbCell['type'] = 'code';
  let body: string[] = [];
  const flush = () => {
    const source = type === 'code' ? trimBlankLines(body.join('\n')) : uncomment(body);
    if (source.trim()) cells.push(cell(type, source, type === 'code' ? language : undefined));
    body = [];
  };
  for (const line of lines) {
    const marker = PERCENT_MARKER.exec(line);
    if (!marker) {
      body.push(line);
      continue;
    }
    flush();
    const kind = /\[(markdown|md|raw)\]/i.exec(marker[1]!)?.[1]?.toLowerCase();
    type = kind === 'raw' ? 'raw' : kind ? 'markdown' : 'code';
  }
  flush();
  return cells;
}

/** A markdown or raw cell's text: `# ` taken off each comment line, or the inside of one triple-quoted string. */
function uncomment(lines: string[]): string {
  const text = trimBlankLines(lines.join('\n'));
  const quoted = /^(?:"""|''')\n?([^]*?)\n?(?:"""|''')$/.exec(text);
  if (quoted) return trimBlankLines(quoted[1]!);
  return trimBlankLines(
    text
      .split('\n')
      .map((line) => (line.startsWith('# ') ? line.slice(2) : line === '#' ? '' : line))
      .join('\n'),
  );
}
