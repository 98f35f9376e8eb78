/**
 * String literals and comments for generated code. Every value that reaches a staging cell (URLs, file
 * names, DIDs, the target folder) goes through one of these encoders, so the generated source is pure
 * printable ASCII apart from comments, and no value can end its literal early or be read as code.
 */

/** True for printable ASCII, the only characters the encoders emit as themselves. */
function printable(code: number): boolean {
  return code >= 0x20 && code <= 0x7e;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Refuses what no language below can carry faithfully: NUL and unpaired UTF-16 surrogates. */
export function checkValue(value: string, what: string): string {
  if (value.includes('\u0000')) throw new Error(`${what} contains a NUL character`);
  if (LONE_SURROGATE.test(value)) throw new Error(`${what} contains an unpaired surrogate (not valid Unicode text)`);
  return value;
}

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, '0');
}

/**
 * A Python string literal: printable ASCII as itself (backslash and quote escaped), everything else as
 * `\xNN`, `\uNNNN` or `\UNNNNNNNN` — each a fixed-width escape, so the next character can never extend it.
 */
export function pythonString(value: string): string {
  let out = "'";
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (char === '\\' || char === "'") out += `\\${char}`;
    else if (printable(code)) out += char;
    else if (code <= 0xff) out += `\\x${hex(code, 2)}`;
    else if (code <= 0xffff) out += `\\u${hex(code, 4)}`;
    else out += `\\U${hex(code, 8)}`;
  }
  return `${out}'`;
}

/**
 * An R string literal: double-quoted, printable ASCII as itself (backslash and quote escaped), everything
 * else as `\u{…}` / `\U{…}` — braced, so no following digit is absorbed, and never `\x` (R forbids mixing
 * `\x` with `\u` in one string). No raw strings: `r"(…)"` ends at the first `)"` in the value.
 */
export function rString(value: string): string {
  checkValue(value, 'an R string');
  let out = '"';
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (char === '\\' || char === '"') out += `\\${char}`;
    else if (printable(code)) out += char;
    else if (code <= 0xffff) out += `\\u{${hex(code, 4)}}`;
    else out += `\\U{${hex(code, 8)}}`;
  }
  return `${out}"`;
}

/**
 * A Julia string literal: double-quoted, with `\`, `"` and `$` (interpolation) escaped; everything outside
 * printable ASCII as `\uNNNN` (exactly four digits: Julia reads at most four) or `\UNNNNNNNN` (at most eight).
 */
export function juliaString(value: string): string {
  checkValue(value, 'a Julia string');
  let out = '"';
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (char === '\\' || char === '"' || char === '$') out += `\\${char}`;
    else if (printable(code)) out += char;
    else if (code <= 0xffff) out += `\\u${hex(code, 4)}`;
    else out += `\\U${hex(code, 8)}`;
  }
  return `${out}"`;
}

// Every "other" character (controls, format and bidi controls, surrogates, private use, unassigned) and
// the line and paragraph separators: none may reach a one-line comment.
const NOT_TEXT = /[\p{C}\p{Zl}\p{Zp}]/gu;

/**
 * Untrusted text (a title) made fit for a `#` comment in Python, R or Julia: one line — nothing a
 * language or an editor reads as a line break survives — with whitespace collapsed, at most 200 characters.
 */
export function commentText(value: string): string {
  const text = value.replace(NOT_TEXT, ' ').replace(/\s+/g, ' ').trim();
  return [...text].slice(0, 200).join('').trim();
}

/** Text shown verbatim in Markdown: one line, every ASCII punctuation character backslash-escaped (CommonMark), so no emphasis, link, HTML or math. */
export function markdownText(value: string): string {
  return commentText(value).replace(/[!-/:-@[-`{-~]/g, (char) => `\\${char}`);
}

/** One POSIX shell word: single-quoted, a single quote written as '\''. */
export function shellWord(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
