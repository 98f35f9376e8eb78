/**
 * Validates a YAML document against a zod schema and reports every problem with its line and column.
 * Reusable for any hand-maintained YAML file (facilities.yaml, catalog/sources.yaml, …):
 *
 *   const { data, problems } = validateYaml(text, 'catalog/sources.yaml', SourcesFile);
 *
 * Aliases (`*name`) are refused by default: a maintainer never needs them, and an alias bomb expands a
 * few hundred bytes into gigabytes. Refusal happens on the parsed tree, before anything is expanded.
 */
import { isAlias, isCollection, isPair, isScalar, isSeq, Lexer, LineCounter, visit, type Node } from 'yaml';
import type { z } from 'zod';
import { issuesToProblems } from './issues.js';
import { problem, sortProblems, type FieldPath, type Problem } from './problem.js';
import { DocumentSource, type ParseOptions } from './source.js';

export type { ParseOptions } from './source.js';

/** yaml's default (100) is generous for configuration; a hand-written file that needs more is suspect. */
const DEFAULT_MAX_ALIAS_COUNT = 100;
/** Hand-maintained files are small and shallow; bigger or deeper input is refused before it is parsed. */
const DEFAULT_MAX_BYTES = 1024 * 1024;
const DEFAULT_MAX_DEPTH = 64;

// The lexer marks documents, flow ends and scalars with control characters that take no room in the source.
const ZERO_WIDTH = new Set(['\u0002', '\u0018', '\u001f']);

/**
 * Where nesting first gets deeper than `limit`, or null. The composer recurses per level (a few hundred
 * thousand `[` exhaust the stack, then memory), but yaml's lexer is flat: count flow brackets and the block
 * indicators that open a level on one line (`- - - x`), plus the indentation that nests block mappings.
 */
function tooDeepAt(text: string, limit: number): number | null {
  let offset = 0;
  let flow = 0;
  let lineDepth = 0;
  let lineStart = true;
  for (const token of new Lexer().lex(text)) {
    if (ZERO_WIDTH.has(token)) continue;
    if (token === '[' || token === '{') flow += 1;
    else if (token === ']' || token === '}') flow = Math.max(0, flow - 1);
    else if (token === '-' || token === '?' || token === ':') lineDepth += 1;
    else if (lineStart && /^ +$/.test(token)) lineDepth += token.length / 2;
    if (token.startsWith('\n') || token.startsWith('\r\n')) {
      lineDepth = 0;
      lineStart = true;
    } else lineStart = false;
    if (flow + lineDepth > limit) return offset;
    offset += token.length;
  }
  return null;
}

function sizeProblem(text: string, file: string, options: Limits): Problem | null {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (Buffer.byteLength(text) > maxBytes) {
    return problem(file, { line: 1, col: 1 }, [], `file is larger than ${maxBytes} bytes; is this the right file?`);
  }
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const deep = tooDeepAt(text, maxDepth);
  if (deep === null) return null;
  const lines = new LineCounter();
  lines.addNewLine(0);
  for (let index = text.indexOf('\n'); index >= 0; index = text.indexOf('\n', index + 1)) lines.addNewLine(index + 1);
  return problem(file, lines.linePos(deep), '(syntax)', `nested more than ${maxDepth} levels deep; refused before parsing`);
}

export type Limits = { maxBytes?: number; maxDepth?: number };

type Parsed = {
  source: DocumentSource;
  problems: Problem[];
  /** Source offsets of problems found while reading (aliases, repeated keys, unknown tags). */
  spoiled: number[];
  /** False when the document's structure cannot be trusted (syntax errors). */
  readable: boolean;
};

// A repeated key leaves the rest of the document well-formed: only the mapping holding it is spoiled.
const LOCAL_ERRORS = new Set(['DUPLICATE_KEY']);

// yaml's messages end with " at line L, column C:" and a code excerpt; we print our own position.
function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

function fieldPathOf(ancestors: readonly unknown[], node: unknown): FieldPath {
  const path: (string | number)[] = [];
  const chain = [...ancestors, node];
  chain.forEach((ancestor, index) => {
    const child = chain[index + 1];
    if (isSeq(ancestor) && child !== undefined) path.push(ancestor.items.indexOf(child as Node));
    if (isPair(ancestor) && isScalar(ancestor.key)) path.push(String(ancestor.key.value));
  });
  return path;
}

function parse(text: string, file: string, options: ParseOptions & Limits): Parsed {
  const refused = sizeProblem(text, file, options);
  if (refused) return { source: new DocumentSource(file, ''), problems: [refused], spoiled: [], readable: false };
  const source = DocumentSource.parse(file, text);
  const doc = source.document;
  const problems: Problem[] = [];
  const spoiled: number[] = [];
  for (const issue of [...doc.errors, ...doc.warnings]) {
    problems.push(problem(file, source.positionOf(issue.pos[0]), '(syntax)', firstLine(issue.message)));
    spoiled.push(issue.pos[0]);
  }
  if (!options.aliases) {
    visit(doc, {
      Alias(_key, node, ancestors) {
        const offset = node.range?.[0] ?? 0;
        spoiled.push(offset);
        const message = `alias *${node.source} is not allowed here; write the value out in full`;
        problems.push(problem(file, source.positionOf(offset), fieldPathOf(ancestors, node), message));
      },
    });
  }
  const readable = doc.errors.every((error) => LOCAL_ERRORS.has(error.code));
  return { source, problems, spoiled, readable };
}

function toJs(node: unknown, source: DocumentSource, options: ParseOptions): { value: unknown } | { problem: string } {
  try {
    const maxAliasCount = options.maxAliasCount ?? DEFAULT_MAX_ALIAS_COUNT;
    const value = isCollection(node) || isScalar(node) || isAlias(node) ? node.toJS(source.document, { maxAliasCount }) : null;
    return { value };
  } catch (error) {
    return { problem: `cannot be read: ${(error as Error).message}` };
  }
}

export type ValidateResult<T> = { data: T | null; problems: Problem[] };

/** Checks a whole document against `schema`; `data` is the parsed value, or null when anything is wrong. */
export function validateYaml<S extends z.ZodTypeAny>(
  text: string,
  file: string,
  schema: S,
  options: ParseOptions & Limits = {},
): ValidateResult<z.infer<S>> {
  const parsed = parse(text, file, options);
  if (!parsed.readable) return { data: null, problems: sortProblems(parsed.problems) };
  // Still read a document with a refused alias or a repeated key (expansion stays capped by maxAliasCount),
  // so its other problems are reported in the same run; `data` stays null.
  const read = toJs(parsed.source.document.contents, parsed.source, options);
  if ('problem' in read) return { data: null, problems: [...parsed.problems, problem(file, { line: 1, col: 1 }, [], read.problem)] };
  const result = schema.safeParse(read.value);
  const problems = [...parsed.problems, ...(result.success ? [] : issuesToProblems(result.error.issues, parsed.source, schema))];
  return { data: result.success && problems.length === 0 ? result.data : null, problems: sortProblems(problems) };
}

export type ListResult<T> = {
  /** Every entry that is valid on its own, with its index in the list: a bad entry costs only itself. */
  items: { index: number; value: T }[];
  problems: Problem[];
  source: DocumentSource;
};

/** Checks a document that must be a list, entry by entry, keeping the good entries. */
export function validateYamlList<S extends z.ZodTypeAny>(
  text: string,
  file: string,
  itemSchema: S,
  options: ParseOptions & Limits & { itemName?: string } = {},
): ListResult<z.infer<S>> {
  const parsed = parse(text, file, options);
  const { source } = parsed;
  const problems = [...parsed.problems];
  const items: ListResult<z.infer<S>>['items'] = [];
  const root = source.document.contents;
  if (!parsed.readable || root === null) return { items, problems: sortProblems(problems), source };
  if (!isSeq(root)) {
    const kind = isCollection(root) ? 'a mapping' : 'a single value';
    const what = options.itemName ?? 'entries';
    problems.push(problem(file, source.locate([]).position, [], `must be a list of ${what} (each entry starting with "- "), got ${kind}`));
    return { items, problems: sortProblems(problems), source };
  }
  root.items.forEach((node, index) => {
    const range = (node as Node | null)?.range;
    if (!range || parsed.spoiled.some((offset) => offset >= range[0] && offset < range[2])) return;
    const read = toJs(node, source, options);
    if ('problem' in read) {
      problems.push(problem(file, source.locate([index]).position, [index], read.problem));
      return;
    }
    const result = itemSchema.safeParse(read.value);
    if (result.success) items.push({ index, value: result.data });
    else problems.push(...issuesToProblems(result.error.issues, source, itemSchema, [index]));
  });
  return { items, problems: sortProblems(problems), source };
}
