/** Shared by the contract tests: a facility entry as YAML, and problems reduced to what the tests assert. */
import type { Problem } from '../../catalog/validate/index.js';

/** A valid facility entry as YAML list item lines, with fields overridden or (value null) removed. */
export function facilityYaml(id: string, overrides: Record<string, string | null> = {}): string {
  const fields: Record<string, string | null> = {
    id,
    name: `Hub ${id}`,
    url: `https://${id}.example.org/`,
    type: 'jupyterhub',
    interfaces: '[lab, notebook]',
    defaultInterface: 'lab',
    access: 'public',
    ...overrides,
  };
  const lines = Object.entries(fields)
    .filter((entry): entry is [string, string] => entry[1] !== null)
    .map(([key, value], index) => `${index === 0 ? '- ' : '  '}${key}: ${value}`);
  return `${lines.join('\n')}\n`;
}

/** `LINE:COL PATH` for each problem: the part of a problem every rejection test pins down exactly. */
export function where(problems: Problem[]): string[] {
  return problems.map((p) => `${p.line}:${p.col} ${p.path}`);
}
