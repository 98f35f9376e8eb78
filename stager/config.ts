/**
 * Reads the stager's YAML configuration (`--config FILE`, else IDA_STAGER_CONFIG, else the defaults) with
 * the project's YAML validator, so a mistake is reported as FILE:LINE:COL like facilities.yaml; and decides
 * whether a data set's host is one the facility allows.
 */
import { readFile } from 'node:fs/promises';
import { StagerConfig, classifyHost, parseHostPattern, type HostPattern } from '../catalog/contract/index.js';
import type { Problem } from '../catalog/validate/problem.js';
import { validateYaml } from '../catalog/validate/yaml.js';

export type LoadedConfig = { config: StagerConfig; file: string | null } | { problems: Problem[]; file: string };

export function parseStagerConfig(text: string, file: string): { config: StagerConfig | null; problems: Problem[] } {
  // An empty file is a valid configuration: every default.
  const { data, problems } = validateYaml(text.trim() === '' ? '{}' : text, file, StagerConfig, { aliases: false });
  return { config: data, problems };
}

export async function loadStagerConfig(file: string | undefined = process.env.IDA_STAGER_CONFIG || undefined): Promise<LoadedConfig> {
  if (!file) return { config: StagerConfig.parse({}), file: null };
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return { file, problems: [{ file, line: 1, col: 1, path: '(document)', message: `cannot be read (${code})`, text: `${file}: cannot be read (${code})` }] };
  }
  const { config, problems } = parseStagerConfig(text, file);
  return config ? { config, file } : { problems, file };
}

/** The parsed allowHosts of a valid configuration. */
export function hostPatterns(config: StagerConfig): HostPattern[] {
  return config.allowHosts.map((entry) => parseHostPattern(entry) as HostPattern);
}

function effectivePort(url: URL): string {
  return url.port || (url.protocol === 'https:' ? '443' : '80');
}

/**
 * True when the facility lets its users stage from `url`: an exact entry (with its port, if it names one)
 * or, for public hosts only, a wildcard entry. Loopback, private and link-local hosts need an exact entry.
 */
export function hostAllowed(url: URL, patterns: readonly HostPattern[]): boolean {
  const host = url.hostname.toLowerCase();
  const isPublic = classifyHost(host) === 'public';
  return patterns.some((pattern) => {
    if (pattern.wildcard) return isPublic && host.endsWith(`.${pattern.host}`);
    return pattern.host === host && (pattern.port === null || pattern.port === effectivePort(url));
  });
}
