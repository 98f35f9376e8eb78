/** Julia packages: `using A, B.C`, `using A: f`, `import A`, `import A.B as C`; `Pkg.add(…)` and `] add …` → installs. */
import type { Found } from './shared.js';

const USING = /^\s*(?:@\w+\s+)?(using|import)\s+([^#\n]+)/gm;
const JULIA_NAME = /^[A-Za-z_][A-Za-z0-9_!]*/;
/** Modules of the language itself, not packages. */
const BUILTIN = new Set(['Base', 'Core', 'Main']);
const PKG_ADD = /\bPkg\.add\s*\(([^)]*)\)/g;
const PKG_MODE_ADD = /^\s*\]\s*add\s+([^\n#]+)/gm;
const QUOTED = /"([A-Za-z_][A-Za-z0-9_]*)(?:\.jl)?"/g;

export function juliaImports(source: string, found: Found): void {
  if (!/using|import|add/.test(source)) return;
  const code = source.replace(/#=[\s\S]*?=#/g, ' ');
  for (const match of code.matchAll(USING)) {
    // `using A: f, g` lists names from A, not packages.
    const list = match[2]!.split(':')[0]!;
    for (const item of list.split(',')) {
      const trimmed = item.trim();
      if (trimmed.startsWith('.')) continue;
      const name = JULIA_NAME.exec(trimmed)?.[0];
      if (name && !BUILTIN.has(name)) found.imports.add(name);
    }
  }
  for (const match of code.matchAll(PKG_ADD)) {
    for (const name of match[1]!.matchAll(QUOTED)) found.installs.add(name[1]!);
  }
  for (const match of code.matchAll(PKG_MODE_ADD)) {
    for (const word of match[1]!.trim().split(/\s+/)) {
      const name = JULIA_NAME.exec(word)?.[0];
      if (name && name.length === word.replace(/@.*$/, '').length) found.installs.add(name);
    }
  }
}
