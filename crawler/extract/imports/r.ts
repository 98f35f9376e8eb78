/** R packages: `library(x)`, `require("x")`, `requireNamespace('x')`, `x::f`, `x:::f`; `install.packages(…)` → installs. */
import type { Found } from './shared.js';

const R_NAME = '[A-Za-z][A-Za-z0-9.]*';
const LOAD = new RegExp(`\\b(?:library|require|requireNamespace|p_load)\\s*\\(\\s*(["'\`]?)(${R_NAME})\\1\\s*(,[^)]*)?\\)`, 'g');
const NAMESPACE = new RegExp(`(?<![\\w.$@])(${R_NAME}):::?(?=[A-Za-z.\`])`, 'g');
const INSTALL = /\binstall\.packages\s*\(([^)]*\)?)/g;
const QUOTED = /["']([A-Za-z][A-Za-z0-9.]*)["']/g;

export function rImports(source: string, found: Found): void {
  if (!/library|require|::|p_load|install\.packages/.test(source)) return;
  // Cut after the last ")": every `(` then has a `)` ahead, so `[^)]*` never scans to the end in vain.
  const full = stripComments(source);
  const code = full.slice(0, full.lastIndexOf(')') + 1);
  for (const match of code.matchAll(LOAD)) {
    // library(pkg, character.only = TRUE) names a variable, not a package.
    if (match[3] && /character\.only\s*=\s*(TRUE|T)\b/.test(match[3])) continue;
    found.imports.add(match[2]!);
  }
  for (const match of blankStrings(full).matchAll(NAMESPACE)) found.imports.add(match[1]!);
  for (const match of code.matchAll(INSTALL)) {
    for (const name of match[1]!.matchAll(QUOTED)) found.installs.add(name[1]!);
  }
}

/** Removes `#` comments, keeping string contents (a `#` inside quotes is not a comment). */
function stripComments(source: string): string {
  return source.replace(/("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|#[^\n]*/g, (_whole, string: string | undefined) => string ?? '');
}

function blankStrings(source: string): string {
  return source.replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, '""');
}
