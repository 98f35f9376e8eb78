/**
 * An HTML template tag that escapes by default: every interpolated value is text unless it is already
 * `SafeHtml` (made by `html` itself, or by `trusted()` around a string from the sanitiser or the
 * highlighter). Used where a page fragment is rendered outside Astro's templates (in a build worker).
 */
import { escapeUTF8 } from 'entities';

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type Interpolation = SafeHtml | string | number | boolean | null | undefined | readonly Interpolation[];

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false || value === true) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  // Escapes & < > " ' — safe in text and in quoted attribute values alike.
  return escapeUTF8(String(value));
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
