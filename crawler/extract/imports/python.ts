/**
 * Python imports from notebook code: `import a.b, c as d`, `from a.b import (x,\n y)`, imports inside blocks —
 * top-level package names only, relative imports left out. IPython syntax (`%magic`, `!shell`, `x = !cmd`,
 * `%%cell` magics, `obj?`) never breaks parsing; `%pip`/`!pip`/`%conda install` names go to installs.
 */
import { installsIn } from './install.js';
import type { Found } from './shared.js';

/** Cell magics whose body is Python; every other `%%magic` body is not parsed as Python. */
const PYTHON_CELL_MAGICS = new Set(['time', 'timeit', 'capture', 'prun', 'debug', 'px', 'cython', 'pypy', 'python', 'python3', 'memit', 'snakeviz', 'skip', 'tensorflow_version', 'ai', 'output', 'cache']);
const SHELL_CELL_MAGICS = new Set(['bash', 'sh', 'script', 'system', 'cmd', 'powershell']);
/** Line magics and shell escapes at the start of a line or on the right of an assignment. */
const MAGIC_LINE = /^\s*(?:[%!]|[\w.,[\]][\w.,\s[\]]*=\s*[%!])/;

const MAY_IMPORT = /^[ \t]*(?:import|from)[ \t\\(]|:[ \t]*import[ \t]|install/m;

export type CellMagic = { name: string; body: string } | null;

export function cellMagic(source: string): CellMagic {
  const match = /^\s*%%(\S+)[^\n]*\n?/.exec(source);
  return match ? { name: match[1]!, body: source.slice(match[0].length) } : null;
}

export function pythonImports(source: string, found: Found): void {
  const magic = cellMagic(source);
  if (magic) {
    if (SHELL_CELL_MAGICS.has(magic.name)) {
      for (const line of magic.body.split('\n')) installsIn(line, found.installs);
      return;
    }
    if (!PYTHON_CELL_MAGICS.has(magic.name)) return;
    source = magic.body;
  }
  // Most cells import nothing: only cells with an import statement or an install line need the line scanner.
  if (!MAY_IMPORT.test(source)) return;
  for (const statement of logicalLines(source, found.installs)) {
    for (const part of statement.split(';')) importsOf(part.trim(), found.imports);
  }
}

const IMPORT = /^import\s+(.+)$/s;
const IDENT = /^[A-Za-z_]\w*/;
const MODULE = /^(\.*)\s*([A-Za-z_][\w.]*)?/;
/** One-line compound statements: `try: import x`, `if y: import z`. (No two adjacent whitespace runs: linear.) */
const COMPOUND = /^(?:(?:try|else|finally)\s*|(?:if|elif|while|with|for|except)\b[^:]*):\s*/;
/** A logical line longer than this is no import statement (and is not searched). */
const MAX_STATEMENT = 16_384;

function importsOf(statement: string, into: Set<string>): void {
  if (statement.length > MAX_STATEMENT) return;
  const body = statement.replace(COMPOUND, '');
  const plain = IMPORT.exec(body);
  if (plain) {
    for (const item of plain[1]!.replace(/[()]/g, '').split(',')) {
      const name = IDENT.exec(item.trim())?.[0];
      if (name && name !== '__future__') into.add(name);
    }
    return;
  }
  // `from <dots><module> import …`, read piece by piece (the one-regex form backtracked over runs of spaces).
  if (!/^from\s/.test(body)) return;
  const rest = body.slice(5).trimStart();
  const module = MODULE.exec(rest)!;
  if (module[1] || !module[2] || !/^\s+import\b/.test(rest.slice(module[0].length))) return;
  const name = module[2].split('.')[0]!;
  if (name !== '__future__') into.add(name);
}

/**
 * Splits source into logical lines with strings emptied and comments removed, joining bracketed and
 * backslash-continued lines. Magic and shell lines are taken out (their installs recorded) before Python sees them.
 */
function logicalLines(source: string, installs: Set<string>): string[] {
  const out: string[] = [];
  let current = '';
  let depth = 0;
  let quote = ''; // the open string's delimiter: ', ", ''' or """
  let continued = false;
  for (const line of source.split(/\r?\n/)) {
    if (!quote && depth === 0 && !continued && MAGIC_LINE.test(line)) {
      installsIn(line, installs);
      continue;
    }
    if (!quote && depth === 0 && !continued && /^\s*[\w.]+\?\??\s*$/.test(line)) continue; // `obj?` help
    continued = false;
    let index = 0;
    while (index < line.length) {
      const char = line[index]!;
      if (quote) {
        if (char === '\\') {
          index += 2;
          continue;
        }
        if (line.startsWith(quote, index)) {
          current += quote;
          index += quote.length;
          quote = '';
          continue;
        }
        index++;
        continue;
      }
      if (char === '#') break;
      if (char === '"' || char === "'") {
        quote = line.startsWith(char.repeat(3), index) ? char.repeat(3) : char;
        current += quote;
        index += quote.length;
        continue;
      }
      if (char === '(' || char === '[' || char === '{') depth++;
      else if (char === ')' || char === ']' || char === '}') depth = Math.max(0, depth - 1);
      else if (char === '\\' && index === line.length - 1) {
        continued = true;
        break;
      }
      current += char;
      index++;
    }
    // A single-quoted string cannot span lines: close it (the code is broken, but the next line must parse).
    if (quote.length === 1) quote = '';
    if (!quote && depth === 0 && !continued) {
      if (current.trim()) out.push(current.trim());
      current = '';
    } else current += ' ';
  }
  if (current.trim()) out.push(current.trim());
  return out;
}
