/**
 * An HTML template tag that escapes by default: every interpolated value is text unless it is already
 * `SafeHtml` (made by `html` itself, or by `trusted()` around a string from the sanitiser or the
 * highlighter). The notebook preview is rendered with it (notebook-preview.ts): a string renderer, so that
 * the build can render previews in worker threads and keep them in a cache; everything else on a page is
 * Astro's.
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
  if (typeof value === 'string') return escapeUTF8(value);
  if (value instanceof SafeHtml) return value.value;
  if (value === null || value === undefined || value === false || value === true) return '';
  if (Array.isArray(value)) return value.map(render).join('');
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
