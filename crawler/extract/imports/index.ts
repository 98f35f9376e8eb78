/** Imports and inline installs of a notebook, dispatched by language and by `%%R`/`%%julia` cell magics. */
import { juliaImports } from './julia.js';
import { cellMagic, pythonImports } from './python.js';
import { rImports } from './r.js';
import { type Found, emptyFound, sortedUnique } from './shared.js';

type Parser = (source: string, found: Found) => void;

const BY_LANGUAGE: Record<string, Parser> = { python: pythonImports, r: rImports, julia: juliaImports };
const BY_CELL_MAGIC: Record<string, Parser> = { R: rImports, julia: juliaImports };

export function importsOf(language: string | null, codeCells: string[]): { imports: string[]; installs: string[] } {
  const parser = language ? BY_LANGUAGE[language] : undefined;
  const found = emptyFound();
  for (const source of codeCells) {
    const magic = language === 'python' ? cellMagic(source) : null;
    const other = magic ? BY_CELL_MAGIC[magic.name] : undefined;
    if (other && magic) other(magic.body, found);
    else parser?.(source, found);
  }
  return { imports: sortedUnique(found.imports), installs: sortedUnique(found.installs) };
}
