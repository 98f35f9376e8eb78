/**
 * Corpus pins: one line per repository, tab-separated — `owner/name`, the upstream commit, the default
 * branch, that commit's date (ISO 8601). The format of `../shared/corpus/SOURCES.tsv`; a catalog built from
 * the corpus records exactly these values, so its links point at real upstream objects.
 */
import { readFile } from 'node:fs/promises';

export type CorpusPin = {
  /** `owner/name` on GitHub. */
  fullName: string;
  /** The corpus folder holding the repository's files: `owner__name`. */
  folder: string;
  commit: string;
  branch: string;
  /** The commit's date as written in the file (ISO 8601 with its offset). */
  committedAt: string;
};

const FULL_NAME = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const COMMIT = /^[0-9a-f]{40}$/;
const BRANCH = /^[A-Za-z0-9._\/-]{1,200}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

export class PinsError extends Error {}

/** Parses pins text; every bad line is reported as `file:line: what is wrong` in one error. Blank lines and `#` comments are skipped. */
export function parsePins(text: string, file: string): CorpusPin[] {
  const pins: CorpusPin[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const where = `${file}:${index + 1}`;
    const fields = line.split('\t');
    if (fields.length !== 4) {
      problems.push(`${where}: expected 4 tab-separated fields (owner/name, commit, branch, date), found ${fields.length}`);
      return;
    }
    const [fullName, commit, branch, committedAt] = fields as [string, string, string, string];
    if (!FULL_NAME.test(fullName)) problems.push(`${where}: "${fullName}" is not a GitHub owner/name`);
    else if (seen.has(fullName.toLowerCase())) problems.push(`${where}: ${fullName} is pinned twice`);
    if (!COMMIT.test(commit)) problems.push(`${where}: "${commit}" is not a full 40-character commit id`);
    if (!BRANCH.test(branch) || branch.includes('..')) problems.push(`${where}: "${branch}" is not a branch name`);
    if (!ISO_DATE.test(committedAt) || Number.isNaN(Date.parse(committedAt))) problems.push(`${where}: "${committedAt}" is not an ISO 8601 date with a time zone`);
    seen.add(fullName.toLowerCase());
    pins.push({ fullName, folder: fullName.replace('/', '__'), commit, branch, committedAt });
  });
  if (problems.length > 0) throw new PinsError(`${problems.join('\n')}\nFix these lines: each needs owner/name, the 40-hex commit, the branch and the commit's ISO date, separated by tabs.`);
  return pins;
}

export async function readPins(file: string): Promise<CorpusPin[]> {
  return parsePins(await readFile(file, 'utf8'), file);
}
