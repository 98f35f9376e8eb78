/** Julia packages: `using A, B.C`, `using A: f`, `import A`, `import A.B as C`; `Pkg.add(…)` and `] add …` → installs. */
import type { Found } from './shared.js';

const USING = /^[ \t]*(?:@\w+[ \t]+)?(using|import)[ \t]+([^#\n]+)/gm;
const JULIA_NAME = /^[A-Za-z_][A-Za-z0-9_!]*/;
/** Modules of the language itself, not packages. */
const BUILTIN = new Set(['Base', 'Core', 'Main']);
const PKG_ADD = /\bPkg\.add\s*\(([^)]*)\)/g;
const PKG_MODE_ADD = /^[ \t]*\][ \t]*add[ \t]+([^\n#]+)/gm;
const QUOTED = /"([A-Za-z_][A-Za-z0-9_]*)(?:\.jl)?"/g;

export function juliaImports(source: string, found: Found): void {
  if (!/using|import|add/.test(source)) return;
  const code = withoutBlockComments(source);
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
  // Cut after the last ")": every `(` then has a `)` ahead, so `[^)]*\)` never fails and never rescans.
  for (const match of code.slice(0, code.lastIndexOf(')') + 1).matchAll(PKG_ADD)) {
    for (const name of match[1]!.matchAll(QUOTED)) found.installs.add(name[1]!);
  }
  for (const match of code.matchAll(PKG_MODE_ADD)) {
    for (const word of match[1]!.trim().split(/\s+/)) {
      const name = JULIA_NAME.exec(word)?.[0];
      if (name && name.length === word.replace(/@.*$/, '').length) found.installs.add(name);
    }
  }
}

/** `#= … =#` blanked in one pass (an unclosed one runs to the end), where /#=[\s\S]*?=#/g rescanned the rest at every `#=`. */
function withoutBlockComments(source: string): string {
  let out = '';
  let from = 0;
  for (let open = source.indexOf('#=', from); open !== -1; open = source.indexOf('#=', from)) {
    out += source.slice(from, open) + ' ';
    const close = source.indexOf('=#', open + 2);
    if (close === -1) return out;
    from = close + 2;
  }
  return out + source.slice(from);
}
