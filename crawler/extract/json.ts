/**
 * Bytes → JSON value, for files from untrusted repositories: UTF-8 BOM dropped, invalid UTF-8 replaced (with a
 * warning), and what JSON.parse hides reported — duplicate keys (the last one wins, as in Python's json, which
 * Jupyter uses) and absurd nesting (harmless to JSON.parse, which does not recurse, and to us: nothing here
 * walks a value recursively).
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

/**
 * Parses JSON text; never throws. The error says where and what, e.g. "invalid JSON at line 3, column 5: …".
 * Duplicate keys are found cheaply: an unescaped quote followed by a colon ends a key (inside a JSON string a
 * quote is always escaped), so counting those and comparing with the keys the parse kept shows whether any key
 * was repeated; only then does a slower scan name them.
 */
export function parseJson(text: string): ParsedJson {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: describeJsonError(text, error), warnings: [] };
  }
  const warnings: string[] = [];
  const shape = measure(value);
  if (shape.depth > MAX_JSON_DEPTH) warnings.push(`is nested ${shape.depth} levels deep (more than ${MAX_JSON_DEPTH}); unusual for a notebook, read anyway`);
  if (countKeyEnds(text) > shape.keys) {
    const duplicates = duplicateKeys(text);
    if (duplicates.length) {
      warnings.push(`has duplicate JSON keys (${duplicates.slice(0, 5).map((key) => `"${key}"`).join(', ')}${duplicates.length > 5 ? ', …' : ''}); the last value of each was used`);
    }
  }
  return { ok: true, value, warnings };
}

/** Object keys and nesting depth of a parsed value, walked without recursion (deep nesting cannot overflow the stack). */
function measure(root: unknown): { keys: number; depth: number } {
  let keys = 0;
  let depth = 0;
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [value, level] = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (level > depth) depth = level;
    if (Array.isArray(value)) {
      for (const item of value) if (typeof item === 'object' && item !== null) stack.push([item, level + 1]);
    } else {
      for (const key in value) {
        keys++;
        const item = (value as Record<string, unknown>)[key];
        if (typeof item === 'object' && item !== null) stack.push([item, level + 1]);
      }
    }
  }
  return { keys, depth };
}

const KEY_END = /(?<!\\)"\s*:/g;

function countKeyEnds(text: string): number {
  let count = 0;
  KEY_END.lastIndex = 0;
  while (KEY_END.exec(text) !== null) count++;
  return count;
}
/**
 * Where and why JSON.parse failed. V8's messages name no position for some errors and quote the whole input for
 * others, so the first error is located by our own syntax walk (only ever run on the failure path).
 */
function describeJsonError(text: string, error: unknown): string {
  const found = firstSyntaxError(text);
  if (!found) return `invalid JSON: ${(error instanceof Error ? error.message : String(error)).slice(0, 200)}`;
  const before = text.slice(0, found.offset);
  const line = before.split('\n').length;
  const column = found.offset - before.lastIndexOf('\n');
  const truncated = found.offset >= text.trimEnd().length;
  return `invalid JSON at line ${line}, column ${column}: ${found.reason}${truncated ? ' — the file ends early (truncated?)' : ''}`;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

/** A minimal JSON syntax walk: the offset of the first error and what was expected there. */
function firstSyntaxError(text: string): { offset: number; reason: string } | null {
  let position = 0;
  const stack: ('{' | '[')[] = [];
  const skip = () => {
    while (position < text.length && ' \t\n\r'.includes(text[position]!)) position++;
  };
  const describe = (expected: string) => {
    const found = position >= text.length ? 'the end of the file' : JSON.stringify(text.slice(position, position + 12));
    return { offset: position, reason: `expected ${expected}, found ${found}` };
  };
  const match = (pattern: RegExp) => {
    pattern.lastIndex = position;
    if (!pattern.test(text)) return false;
    position = pattern.lastIndex;
    return true;
  };
  // expect: 'value' | 'key' (or close) | 'after' (comma or close)
  let expect: 'value' | 'key' | 'after' | 'first-value' | 'first-key' = 'value';
  for (;;) {
    skip();
    if (expect === 'value' || expect === 'first-value') {
      const char = text[position];
      if (expect === 'first-value' && char === ']') {
        stack.pop();
        position++;
        expect = 'after';
      } else if (char === '{') {
        stack.push('{');
        position++;
        expect = 'first-key';
      } else if (char === '[') {
        stack.push('[');
        position++;
        expect = 'first-value';
      } else if (char === '"') {
        if (!match(STRING)) {
          if (!/"/.test(text.slice(position + 1))) return { offset: text.length, reason: 'a string is not closed' };
          return { offset: position, reason: 'a string with an invalid escape or a raw control character' };
        }
        expect = 'after';
      } else if (match(NUMBER) || match(/true|false|null/y)) {
        expect = 'after';
      } else return describe('a value');
    } else if (expect === 'key' || expect === 'first-key') {
      if (expect === 'first-key' && text[position] === '}') {
        stack.pop();
        position++;
        expect = 'after';
        continue;
      }
      if (text[position] !== '"' || !match(STRING)) return describe('a property name in double quotes');
      skip();
      if (text[position] !== ':') return describe('":" after the property name');
      position++;
      expect = 'value';
    } else {
      const open = stack[stack.length - 1];
      if (!open) return position < text.length ? describe('nothing after the top-level value') : null;
      const char = text[position];
      if (char === ',') {
        position++;
        expect = open === '{' ? 'key' : 'value';
      } else if ((open === '{' && char === '}') || (open === '[' && char === ']')) {
        stack.pop();
        position++;
      } else return describe(`"," or "${open === '{' ? '}' : ']'}"`);
    }
  }
}

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const OPEN_BRACKET = 91;
const COLON = 58;

/** The repeated keys, each once: one pass jumping from quote to quote, with a key set per open object. */
function duplicateKeys(text: string): string[] {
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
    } else {
      stack.pop();
    }
  }
  return duplicates;
}

function isEscaped(text: string, quote: number): boolean {
  let backslashes = 0;
  for (let index = quote - 1; text.charCodeAt(index) === BACKSLASH; index--) backslashes++;
  return backslashes % 2 === 1;
}
