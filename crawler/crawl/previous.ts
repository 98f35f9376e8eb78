/**
 * The previous catalog and state a crawl starts from, read through the contract. A file that is absent is
 * a first crawl; a file that is there but does not parse or does not validate is never taken for empty
 * (that would publish an empty catalog and delete every preview and image): the crawl stops and names it,
 * unless `--force` asks to rebuild from scratch on purpose.
 */
import path from 'node:path';
import type { z } from 'zod';
import { CATALOG_FILES, ImagesFile, RepositoriesFile, WorkflowsFile, type Image } from '../../catalog/contract/index.js';
import { DocumentSource, issuesToProblems, problem, type Problem } from '../../catalog/validate/index.js';
import type { PreviousCatalog } from './assemble.js';
import { readIfExists } from './files.js';
import { CrawlState, emptyState, STATE_FILE } from './state.js';

export type PreviousRead = {
  previous: PreviousCatalog;
  /** images.json's records; `imagesFile` says whether the file is there (a catalog without images may lack it). */
  images: Image[];
  imagesFile: boolean;
  /** One line per unreadable file: what is wrong (FILE:LINE:COL) and what to do. */
  problems: string[];
  /** Unreadable files set aside because of `force`. */
  ignored: string[];
};

const SHOWN_PROBLEMS = 3;

async function readText(file: string): Promise<string | null> {
  return (await readIfExists(file))?.toString('utf8') ?? null;
}

/** The file's content checked against `schema`, null when absent, or the problems that make it unusable. */
async function readChecked<S extends z.ZodTypeAny>(file: string, schema: S): Promise<{ value: z.infer<S> | null; problems: Problem[] }> {
  let text: string | null;
  try {
    text = await readText(file);
  } catch (error) {
    return { value: null, problems: [problem(file, { line: 1, col: 1 }, '(file)', `cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`)] };
  }
  if (text === null) return { value: null, problems: [] };
  const source = new DocumentSource(file, text);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const offset = source.document.errors[0]?.pos[0] ?? Number(/at position (\d+)/.exec((error as Error).message)?.[1] ?? 0);
    return { value: null, problems: [problem(file, source.positionOf(offset), '(syntax)', `not valid JSON: ${(error as Error).message.split('\n')[0]}`)] };
  }
  const result = schema.safeParse(data);
  if (result.success) return { value: result.data, problems: [] };
  return { value: null, problems: issuesToProblems(result.error.issues, source, schema) };
}

export async function readPrevious(out: string, options: { force?: boolean } = {}): Promise<PreviousRead> {
  const files = {
    workflows: path.join(out, CATALOG_FILES.workflows),
    repositories: path.join(out, CATALOG_FILES.repositories),
    state: path.join(out, STATE_FILE),
    images: path.join(out, CATALOG_FILES.images),
  };
  const [workflows, repositories, state, images] = await Promise.all([
    readChecked(files.workflows, WorkflowsFile),
    readChecked(files.repositories, RepositoriesFile),
    readChecked(files.state, CrawlState),
    readChecked(files.images, ImagesFile),
  ]);
  const problems: string[] = [];
  const ignored: string[] = [];
  for (const [file, read] of [
    [files.workflows, workflows],
    [files.repositories, repositories],
    [files.state, state],
    [files.images, images],
  ] as const) {
    if (read.problems.length === 0) continue;
    if (options.force) {
      ignored.push(file);
      continue;
    }
    const shown = read.problems.slice(0, SHOWN_PROBLEMS).map((p) => p.text);
    const more = read.problems.length > SHOWN_PROBLEMS ? ` (and ${read.problems.length - SHOWN_PROBLEMS} more problems)` : '';
    problems.push(
      `${shown.join('\n')}${more}\n${file} is not a valid ${path.basename(file)}, so the crawl stopped and wrote nothing: restore it (e.g. \`git checkout -- ${file}\`) or fix it, or run with --force to rebuild the catalog from scratch`,
    );
  }
  return {
    previous: { workflows: workflows.value?.items ?? [], repositories: repositories.value?.items ?? [], state: state.value ?? emptyState() },
    images: images.value?.items ?? [],
    imagesFile: images.value !== null,
    problems,
    ignored,
  };
}
