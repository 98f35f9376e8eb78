/**
 * Imports and inline installs of a notebook, dispatched by language and by `%%R`/`%%julia` cell magics.
 * Bounded by construction: lines over MAX_LINE_CHARS are blanked and a cell is read to MAX_CELL_CHARS
 * before any pattern sees it (no import or install line is that long; minified data and base64 are),
 * every pattern is linear, and the extraction budget is checked between cells.
 */
import { currentBudget } from '../budget.js';
import { juliaImports } from './julia.js';
import { cellMagic, pythonImports } from './python.js';
import { rImports } from './r.js';
import { type Found, emptyFound, sortedUnique } from './shared.js';

type Parser = (source: string, found: Found) => void;

const BY_LANGUAGE: Record<string, Parser> = { python: pythonImports, r: rImports, julia: juliaImports };
const BY_CELL_MAGIC: Record<string, Parser> = { R: rImports, julia: juliaImports };

/** Most characters of a cell read for imports, over-long lines not counted; the rest is not read. */
export const MAX_CELL_CHARS = 200_000;
/** Longest line read for imports (characters); longer lines are left out. */
export const MAX_LINE_CHARS = 4_000;

/** The cell as the parsers see it: lines over MAX_LINE_CHARS blanked, at most MAX_CELL_CHARS of the others. */
export function boundedSource(source: string): string {
  if (source.length <= MAX_LINE_CHARS) return source;
  const kept: string[] = [];
  let total = 0;
  for (const line of source.split('\n')) {
    if (line.length > MAX_LINE_CHARS) {
      kept.push('');
      continue;
    }
    total += line.length + 1;
    if (total > MAX_CELL_CHARS) break;
    kept.push(line);
  }
  return kept.join('\n');
}

export function importsOf(language: string | null, codeCells: string[]): { imports: string[]; installs: string[] } {
  const parser = language ? BY_LANGUAGE[language] : undefined;
  const found = emptyFound();
  const budget = currentBudget();
  for (let index = 0; index < codeCells.length && parser; index++) {
    if (budget?.exhausted) {
      budget.stop(`imports were read from the first ${index} of ${codeCells.length} code cells only`);
      break;
    }
    const source = boundedSource(codeCells[index]!);
    const magic = language === 'python' ? cellMagic(source) : null;
    const other = magic ? BY_CELL_MAGIC[magic.name] : undefined;
    if (other && magic) other(magic.body, found);
    else parser(source, found);
  }
  return { imports: sortedUnique(found.imports), installs: sortedUnique(found.installs) };
}
