/** Reads and validates catalog/sources.yaml with line-precise problems. */
import { readFile } from 'node:fs/promises';
import { SourcesFile, sourceId, type Source } from '../../catalog/contract/index.js';
import { validateYaml } from '../../catalog/validate/index.js';

export type LoadedSources = { sources: { id: string; source: Source }[]; problems: string[] };

export async function loadSources(file: string): Promise<LoadedSources> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { sources: [], problems: [`${file}: cannot read the sources file (${(error as NodeJS.ErrnoException).code ?? String(error)}); pass --config PATH`] };
  }
  const { data, problems } = validateYaml(text, file, SourcesFile);
  if (!data) return { sources: [], problems: problems.map((p) => p.text) };
  return { sources: data.sources.map((source) => ({ id: sourceId(source), source })), problems: [] };
}
