/**
 * What a pull request does to facilities.yaml (or, with `--file catalog/curated.yaml`, to the curated
 * workflows), for the reviewer: the entries it adds, removes and changes (field by field) and every problem on
 * its line. `npm run pr-summary -- --base REF [--file PATH]` prints the summary as markdown (appended to
 * $GITHUB_STEP_SUMMARY in Actions) and the problems as `::error` annotations, and exits 1 when there are problems.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { CURATED_FILE } from '../../catalog/contract/index.js';
import { annotation, validateCurated, validateFacilities, type Problem } from '../../catalog/validate/index.js';

/** The hand-maintained lists a pull request may change: how each is checked and which fields sum up a new entry. */
type Registry = { noun: string; validate: (text: string, file: string) => Problem[]; columns: string[] };
const FACILITIES: Registry = { noun: 'facility', validate: (text, file) => validateFacilities(text, file).problems, columns: ['id', 'name', 'url', 'type', 'access'] };
// Ids clashing with crawled workflows are `ida-catalog validate`'s to report: it reads the catalog.
const CURATED: Registry = { noun: 'curated workflow', validate: (text, file) => validateCurated(text, file).problems, columns: ['id', 'title', 'workflowType', 'homepage'] };

function registryOf(file: string): Registry {
  return path.basename(file) === CURATED_FILE ? CURATED : FACILITIES;
}

type Entry = Record<string, unknown> & { id: string };

export type FacilityChange = {
  added: Entry[];
  removed: Entry[];
  changed: { id: string; fields: { field: string; before: unknown; after: unknown }[] }[];
  problems: Problem[];
};

/** Entries with an id, by id, read leniently: the base may be invalid too, and a summary must still say what changed. */
function entriesOf(text: string | null): Map<string, Entry> {
  const entries = new Map<string, Entry>();
  if (text === null) return entries;
  let document: unknown;
  try {
    document = parse(text, { maxAliasCount: 0 });
  } catch {
    return entries;
  }
  if (!Array.isArray(document)) return entries;
  for (const item of document) {
    if (item && typeof item === 'object' && !Array.isArray(item) && typeof (item as Entry).id === 'string' && !entries.has((item as Entry).id)) {
      entries.set((item as Entry).id, item as Entry);
    }
  }
  return entries;
}

export function facilityChange(before: string | null, after: string, file: string): FacilityChange {
  const old = entriesOf(before);
  const current = entriesOf(after);
  const change: FacilityChange = { added: [], removed: [], changed: [], problems: registryOf(file).validate(after, file) };
  for (const [id, entry] of current) {
    const previous = old.get(id);
    if (!previous) {
      change.added.push(entry);
      continue;
    }
    const fields = [...new Set([...Object.keys(previous), ...Object.keys(entry)])].sort();
    const differing = fields
      .filter((field) => JSON.stringify(previous[field]) !== JSON.stringify(entry[field]))
      .map((field) => ({ field, before: previous[field], after: entry[field] }));
    if (differing.length > 0) change.changed.push({ id, fields: differing });
  }
  for (const [id, entry] of old) if (!current.has(id)) change.removed.push(entry);
  return change;
}

/** A value as inline markdown code, safe in a table cell. */
function cell(value: unknown): string {
  if (value === undefined) return '—';
  const text = (typeof value === 'string' ? value : JSON.stringify(value)).replace(/[\r\n]+/g, ' ').replace(/\|/g, '\\|').replace(/`/g, "'");
  return `\`${text.length > 120 ? `${text.slice(0, 119)}…` : text}\``;
}

export function changeMarkdown(change: FacilityChange, file: string): string {
  const { noun, columns } = registryOf(file);
  const lines = [`## ${file}`, ''];
  if (change.added.length + change.removed.length + change.changed.length === 0) lines.push(`No ${noun} added, removed or changed.`, '');
  if (change.added.length > 0) {
    lines.push(`### Added (${change.added.length})`, '', `| ${columns.join(' | ')} |`, `|${' --- |'.repeat(columns.length)}`);
    for (const entry of change.added) lines.push(`| ${columns.map((column) => cell(entry[column])).join(' | ')} |`);
    lines.push('');
  }
  if (change.changed.length > 0) {
    lines.push(`### Changed (${change.changed.length})`, '', '| id | field | before | after |', '| --- | --- | --- | --- |');
    for (const { id, fields } of change.changed) for (const field of fields) lines.push(`| ${cell(id)} | ${cell(field.field)} | ${cell(field.before)} | ${cell(field.after)} |`);
    lines.push('');
  }
  if (change.removed.length > 0) {
    lines.push(`### Removed (${change.removed.length})`, '');
    for (const entry of change.removed) lines.push(`- ${cell(entry.id)} ${cell(entry[columns[1]!])}`);
    lines.push('');
  }
  if (change.problems.length > 0) {
    lines.push(`### Problems (${change.problems.length}) — shown on their lines in "Files changed"`, '');
    for (const problem of change.problems) lines.push(`- \`${problem.file}:${problem.line}:${problem.col}\` **${problem.path}**: ${problem.message.replace(/[\r\n]+/g, ' ')}`);
    lines.push('');
  } else {
    lines.push('All entries are valid.', '');
  }
  return lines.join('\n');
}

/** The file as it is at `ref`, or null when it did not exist there. */
function atRef(ref: string, file: string): string | null {
  try {
    return execFileSync('git', ['show', `${ref}:${file}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null;
  }
}

function main(): number {
  const { values } = parseArgs({ options: { base: { type: 'string' }, file: { type: 'string', default: 'facilities.yaml' } } });
  if (!values.base) {
    console.error('usage: npm run pr-summary -- --base REF [--file facilities.yaml | catalog/curated.yaml]');
    return 2;
  }
  const file = values.file!;
  const change = facilityChange(atRef(values.base, file), readFileSync(file, 'utf8'), file);
  const markdown = changeMarkdown(change, file);
  if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, `${markdown}\n`);
  console.log(markdown);
  for (const problem of change.problems) console.log(annotation(problem));
  return change.problems.length > 0 ? 1 : 0;
}

if (process.argv[1] && process.argv[1] === import.meta.filename) process.exitCode = main();
