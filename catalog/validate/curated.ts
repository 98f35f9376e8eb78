/**
 * catalog/curated.yaml: a list of CuratedWorkflow records (the contract), checked entry by entry with positions
 * like facilities.yaml, plus what one entry cannot know: ids are unique, and none is already a crawled workflow's
 * id (both kinds share the search, the API and the cart, where an id names one thing).
 */
import { readFile } from 'node:fs/promises';
import { CuratedWorkflow } from '../contract/index.js';
import { problem, sortProblems, type Problem } from './problem.js';
import { validateYamlList } from './yaml.js';

export type CuratedResult = {
  /** The entries that are valid (the first of any duplicates included), in file order. */
  curated: CuratedWorkflow[];
  problems: Problem[];
};

export type CuratedContext = {
  /** Ids of the crawled workflows; an entry with one of them is refused. */
  workflowIds?: ReadonlySet<string>;
  /** Where those ids come from, for the message (e.g. "catalog/workflows.json"). */
  workflowsFile?: string;
};

export function validateCurated(text: string, file: string, context: CuratedContext = {}): CuratedResult {
  const { items, problems, source } = validateYamlList(text, file, CuratedWorkflow, { itemName: 'curated workflows', aliases: false });
  const curated: CuratedWorkflow[] = [];
  const ids = new Map<string, number>();
  const idAt = (index: number) => source.locate([index, 'id']).position;
  for (const { index, value } of items) {
    const first = ids.get(value.id);
    if (first !== undefined) {
      problems.push(problem(file, idAt(index), [index, 'id'], `duplicate id "${value.id}": already used on line ${idAt(first).line}; ids must be unique`));
      continue;
    }
    if (context.workflowIds?.has(value.id)) {
      const where = context.workflowsFile ?? 'the catalog';
      problems.push(problem(file, idAt(index), [index, 'id'], `id "${value.id}" is already a crawled workflow's id in ${where}; choose another id`));
      continue;
    }
    ids.set(value.id, index);
    curated.push(value);
  }
  return { curated, problems: sortProblems(problems) };
}

/** Reads and validates a curated file; a missing file is an empty list (a catalog need not have one). */
export async function loadCurated(file: string, context: CuratedContext = {}): Promise<CuratedResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { curated: [], problems: [] };
    throw error;
  }
  return validateCurated(text, file, context);
}
