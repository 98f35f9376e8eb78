/**
 * A validation problem: where (file, line, column), which field, what is wrong. Every validator in
 * catalog/validate reports these, so the CLI, the site build and CI print them the same way.
 */
export type Position = { line: number; col: number };

/** A path into a document, as zod reports it: object keys and list indexes. */
export type FieldPath = ReadonlyArray<string | number>;

export type Problem = {
  file: string;
  line: number;
  col: number;
  /** The field, e.g. `[2].url` or `items[0].repository.url`; `(document)` for the whole file. */
  path: string;
  message: string;
  /** `FILE:LINE:COL: PATH: MESSAGE`, the form editors and terminals make clickable. */
  text: string;
};

export function formatPath(path: FieldPath): string {
  if (path.length === 0) return '(document)';
  return path
    .map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : index === 0 ? segment : `.${segment}`))
    .join('');
}

export function problem(file: string, position: Position, path: FieldPath | string, message: string): Problem {
  const field = typeof path === 'string' ? path : formatPath(path);
  return {
    file,
    line: position.line,
    col: position.col,
    path: field,
    message,
    text: `${file}:${position.line}:${position.col}: ${field}: ${message}`,
  };
}

/** Problems in reading order: by file, then line, then column. */
export function sortProblems(problems: Problem[]): Problem[] {
  return [...problems].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.col - b.col));
}

// GitHub workflow commands: data and property values have their own escaping rules.
// https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts
function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** `::error file=…,line=…,col=…::PATH: MESSAGE`, which GitHub shows on that line of a pull request. */
export function annotation(p: Problem): string {
  return `::error file=${escapeProperty(p.file)},line=${p.line},col=${p.col}::${escapeData(`${p.path}: ${p.message}`)}`;
}
