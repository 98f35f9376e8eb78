/**
 * An HTML template tag that escapes by default: every interpolated value is text unless it is already
 * `SafeHtml` (made by `html` itself, or by `trusted()` around a string from the sanitiser or the
 * highlighter). Used where a page fragment is rendered outside Astro's templates (in a build worker).
 *
 * What it writes is ASCII: any other character becomes a numeric character reference (`&#233;`), the same
 * document to a browser. A page that is all ASCII is a one-byte string to V8, half the memory of a two-byte
 * one, and is decoded, joined and encoded on fast paths: with ASCII pages a 10,000-workflow build of real
 * notebooks took ~10 s less (bench/site). One "é" anywhere makes the whole page two-byte.
 */
import { encodeXML } from 'entities';

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type Interpolation = SafeHtml | string | number | boolean | null | undefined | readonly Interpolation[];

function render(value: Interpolation): string {
  if (typeof value === 'string') return escaped(value);
  if (value instanceof SafeHtml) return value.value;
  if (value === null || value === undefined || value === false || value === true) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  return escaped(String(value));
}

/** What encodeXML rewrites: the five XML specials and every non-ASCII code unit. */
const ESCAPED = /["&'<>\u0080-\uFFFF]/;

/** Escapes & < > " ' (safe in text and in quoted attribute values alike) and writes non-ASCII as references. */
function escaped(text: string): string {
  // Most values (ids, labels, numbers) have nothing to escape: one scan, and the text as encodeXML would return it.
  if (!ESCAPED.test(text)) return text;
  return NON_ASCII.test(text) ? oneByte(encodeXML(text)) : encodeXML(text);
}

export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0]!;
  for (let index = 0; index < values.length; index += 1) out += render(values[index]!) + strings[index + 1]!;
  return new SafeHtml(out);
}

/** Marks HTML that is safe by construction (sanitised markup, highlighter output). Never for raw input. */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

const NON_ASCII = /[\u0080-\uFFFF]/;

/**
 * ASCII text as a one-byte string. What escaping or replacing makes of a string with non-ASCII characters is
 * ASCII, but V8 keeps it two-byte like its source, and one two-byte piece makes a whole page two-byte when it
 * is joined: every character of the page widened, then narrowed again when it is written.
 */
export function oneByte(ascii: string): string {
  return Buffer.from(ascii, 'latin1').toString('latin1');
}

/** A surrogate pair (one character), else any single non-ASCII code unit (a lone surrogate included). */
const NON_ASCII_CHARACTERS = /[\uD800-\uDBFF][\uDC00-\uDFFF]|[\u0080-\uFFFF]/g;

/**
 * Markup with every non-ASCII character written as a numeric character reference: the same document, in
 * ASCII. Only for markup without script or style elements (references are not decoded there): sanitised
 * HTML, highlighted code, our own templates.
 */
export function asciiHtml(markup: string): string {
  // Copied even when it is ASCII already: markup made from two-byte pieces (escaped, sanitised, highlighted)
  // is two-byte too, whatever its characters. A notebook's preview is copied once (~10 µs).
  return oneByte(NON_ASCII.test(markup) ? markup.replace(NON_ASCII_CHARACTERS, (character) => `&#${character.codePointAt(0)};`) : markup);
}
