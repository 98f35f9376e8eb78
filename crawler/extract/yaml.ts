/**
 * YAML from a crawled repository (conda environments, CITATION.cff, text notebooks' front matter), parsed
 * within a bound: the `yaml` package is quadratic on some inputs (20 kB of unterminated quotes cost ~1 s),
 * and a notebook's time budget cannot interrupt a parse. Real files of these kinds are a few kB.
 */
import { parse, type DocumentOptions, type ParseOptions, type SchemaOptions, type ToJSOptions } from 'yaml';

export const MAX_YAML_CHARS = 32 * 1024;

/** Parses YAML text of at most MAX_YAML_CHARS characters; longer text throws, naming the limit (callers turn it into a warning). */
export function parseBoundedYaml(text: string, options: ParseOptions & DocumentOptions & SchemaOptions & ToJSOptions = {}): unknown {
  if (text.length > MAX_YAML_CHARS) {
    throw new Error(`is ${Math.ceil(text.length / 1024)} kB of YAML; only files up to ${MAX_YAML_CHARS / 1024} kB are read`);
  }
  return parse(text, { maxAliasCount: 50, ...options });
}
