/**
 * facilities.yaml: a list of Facility records (the contract), checked entry by entry with positions,
 * plus what one entry cannot know about the others: ids and URLs must be unique.
 */
import { readFile } from 'node:fs/promises';
import { Facility } from '../contract/index.js';
import { problem, sortProblems, type Problem } from './problem.js';
import { validateYamlList } from './yaml.js';

/**
 * The form two facility URLs are compared in: scheme and case of the host ignored (URL lower-cases it),
 * default port dropped, trailing slashes ignored. https://Hub.example.org/ and http://hub.example.org
 * are the same hub.
 */
export function normaliseFacilityUrl(value: string): string {
  try {
    const url = new URL(value);
    return `${url.host}${url.pathname.replace(/\/+$/, '')}${url.search}`;
  } catch {
    return value;
  }
}

export type FacilitiesResult = {
  /** The entries that are valid (including the first of any duplicates), in file order. */
  facilities: Facility[];
  problems: Problem[];
};

export function validateFacilities(text: string, file: string): FacilitiesResult {
  const { items, problems, source } = validateYamlList(text, file, Facility, { itemName: 'facilities', aliases: false });
  const facilities: Facility[] = [];
  const ids = new Map<string, number>();
  const urls = new Map<string, number>();
  const lineOf = (index: number, field: string) => source.locate([index, field]).position.line;
  for (const { index, value } of items) {
    const firstId = ids.get(value.id);
    const url = normaliseFacilityUrl(value.url);
    const firstUrl = urls.get(url);
    if (firstId !== undefined) {
      problems.push(
        problem(file, source.locate([index, 'id']).position, [index, 'id'], `duplicate id "${value.id}": already used on line ${lineOf(firstId, 'id')}; ids must be unique`),
      );
    }
    if (firstUrl !== undefined) {
      problems.push(
        problem(
          file,
          source.locate([index, 'url']).position,
          [index, 'url'],
          `duplicate url: "${value.url}" is the same hub as the url on line ${lineOf(firstUrl, 'url')}`,
        ),
      );
    }
    if (firstId !== undefined || firstUrl !== undefined) continue;
    ids.set(value.id, index);
    urls.set(url, index);
    facilities.push(value);
  }
  return { facilities, problems: sortProblems(problems) };
}

/** Reads and validates a facilities file; `problems[].text` is printable as is. */
export async function loadFacilities(file: string): Promise<FacilitiesResult> {
  return validateFacilities(await readFile(file, 'utf8'), file);
}
