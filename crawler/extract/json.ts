/**
 * Bytes → JSON value, for files from untrusted repositories: UTF-8 BOM dropped, invalid UTF-8 replaced (with a
 * warning), and a light structural pass that reports what JSON.parse hides — duplicate keys (last one wins,
 * as in Python's json, which Jupyter uses) and absurd nesting.
 */
import { isUtf8 } from 'node:buffer';

export const MAX_JSON_DEPTH = 64;

export type Decoded = { text: string; warnings: string[] };

/** Buffer → string: BOM stripped, non-UTF-8 bytes replaced by U+FFFD with a warning. */
export function decodeText(bytes: Buffer): Decoded {
  const warnings: string[] = [];
  let start = 0;
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    start = 3;
    warnings.push('starts with a UTF-8 byte order mark (ignored)');
  }
  const body = start ? bytes.subarray(start) : bytes;
  if (!isUtf8(body)) {
    const utf16 = body.length >= 2 && ((body[0] === 0xff && body[1] === 0xfe) || (body[0] === 0xfe && body[1] === 0xff));
    warnings.push(
      utf16
        ? 'is UTF-16, not UTF-8; read as UTF-8 with unreadable bytes replaced — save it as UTF-8'
        : 'is not valid UTF-8; invalid bytes were replaced with U+FFFD — save it as UTF-8',
    );
  }
  return { text: body.toString('utf8'), warnings };
}

export type ParsedJson = { ok: true; value: unknown; warnings: string[] } | { ok: false; error: string; warnings: string[] };

/** Parses JSON text; never throws. The error says where and what, e.g. "invalid JSON at line 3, column 5: …". */
export function parseJson(text: string): ParsedJson {
  const structure = scanStructure(text);
  if (structure.tooDeep) {
    return { ok: false, error: `JSON nested deeper than ${MAX_JSON_DEPTH} levels; not read`, warnings: [] };
  }
  const warnings = structure.duplicates.length
    ? [`has duplicate JSON keys (${structure.duplicates.slice(0, 5).map((key) => `"${key}"`).join(', ')}${structure.duplicates.length > 5 ? ', …' : ''}); the last value of each was used`]
    : [];
  try {
    return { ok: true, value: JSON.parse(text), warnings };
  } catch (error) {
    return { ok: false, error: describeJsonError(text, error), warnings };
  }
}

function describeJsonError(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const position = /position (\d+)/.exec(message);
  if (!position) {
    return /end of (JSON )?input/i.test(message) ? `invalid JSON: the file ends early (truncated?): ${message}` : `invalid JSON: ${message}`;
  }
  const offset = Number(position[1]);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  const reason = message.replace(/\s*in JSON at position \d+.*$/s, '').replace(/\s*\(line \d+ column \d+\)$/, '');
  return `invalid JSON at line ${line}, column ${column}: ${reason}${offset >= text.length - 1 ? ' (the file ends early: truncated?)' : ''}`;
}

type Structure = { tooDeep: boolean; duplicates: string[] };

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const OPEN_BRACKET = 91;
const COLON = 58;

/**
 * One pass over the text that jumps from quote to quote with indexOf (notebooks are mostly long strings), tracking
 * nesting depth and each object's keys. It trusts JSON.parse to judge validity; it only notices what JSON.parse
 * accepts silently.
 */
function scanStructure(text: string): Structure {
  const duplicates: string[] = [];
  // One key set per open container; null for arrays.
  const stack: (Set<string> | null)[] = [];
  const structural = /["{}[\]]/g;
  const length = text.length;
  let match: RegExpExecArray | null;
  while ((match = structural.exec(text)) !== null) {
    const position = match.index;
    const code = text.charCodeAt(position);
    if (code === QUOTE) {
      let end = text.indexOf('"', position + 1);
      while (end !== -1 && isEscaped(text, end)) end = text.indexOf('"', end + 1);
      if (end === -1) break;
      const keys = stack[stack.length - 1];
      if (keys) {
        let next = end + 1;
        while (next < length && text.charCodeAt(next) <= 32) next++;
        if (text.charCodeAt(next) === COLON) {
          const key = text.slice(position + 1, end);
          if (keys.has(key)) {
            if (duplicates.length < 50 && !duplicates.includes(key)) duplicates.push(key);
          } else keys.add(key);
        }
      }
      structural.lastIndex = end + 1;
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      stack.push(code === OPEN_BRACE ? new Set() : null);
      if (stack.length > MAX_JSON_DEPTH) return { tooDeep: true, duplicates };
    } else {
      stack.pop();
    }
  }
  return { tooDeep: false, duplicates };
}

function isEscaped(text: string, quote: number): boolean {
  let backslashes = 0;
  for (let index = quote - 1; text.charCodeAt(index) === BACKSLASH; index--) backslashes++;
  return backslashes % 2 === 1;
}
