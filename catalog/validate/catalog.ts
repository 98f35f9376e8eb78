/**
 * `validate --catalog DIR`: the generated catalog files against the contract, and what no single record
 * can check alone: unique workflow ids, every workflow's repository present, every referenced image on disk.
 * JSON is parsed with JSON.parse (fast); only a file with a problem is re-read through `yaml` (JSON is
 * YAML) to turn paths into line:column.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import {
  CATALOG_DIRS,
  CATALOG_FILES,
  FACILITY_STATUS_FILE,
  FacilityStatusFile,
  ImagesFile,
  NotebookPreview,
  REQUIRED_CATALOG_FILES,
  missingCatalogFileAdvice,
  RepositoriesFile,
  WorkflowsFile,
  type Image,
  type Repository,
  type Workflow,
} from '../contract/index.js';
import { issuesToProblems } from './issues.js';
import { problem, sortProblems, type FieldPath, type Problem } from './problem.js';
import { DocumentSource } from './source.js';

type Checked<T> = { source: DocumentSource; data: T; problems: Problem[] };

async function readText(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function jsonSyntaxProblem(source: DocumentSource, error: Error): Problem {
  const yamlError = source.document.errors[0];
  const offset = yamlError?.pos[0] ?? Number(/at position (\d+)/.exec(error.message)?.[1] ?? 0);
  return problem(source.file, source.positionOf(offset), '(syntax)', `not valid JSON: ${error.message.split('\n')[0]}`);
}

/** Parses and checks one JSON file; `data` is null when it is not JSON at all. */
function checkJson<S extends z.ZodTypeAny>(file: string, text: string, schema: S): Checked<unknown> & { valid: z.infer<S> | null } {
  const source = new DocumentSource(file, text);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { source, data: null, valid: null, problems: [jsonSyntaxProblem(source, error as Error)] };
  }
  const result = schema.safeParse(data);
  if (result.success) return { source, data, valid: result.data, problems: [] };
  return { source, data, valid: null, problems: issuesToProblems(result.error.issues, source, schema) };
}

type Envelope = typeof WorkflowsFile | typeof RepositoriesFile | typeof ImagesFile;

/** A catalog file's items that are valid on their own (all of them when the file is valid), with their indexes. */
async function readCatalogFile<T>(
  dir: string,
  name: string,
  schema: Envelope,
): Promise<{ source: DocumentSource | null; items: { index: number; value: T }[]; problems: Problem[] }> {
  const text = await readText(path.join(dir, name));
  if (text === null) {
    const required = (REQUIRED_CATALOG_FILES as readonly string[]).some((kind) => CATALOG_FILES[kind as keyof typeof CATALOG_FILES] === name);
    const missing = problem(path.join(dir, name), { line: 1, col: 1 }, '(document)', `missing; ${missingCatalogFileAdvice(name)}`);
    return { source: null, items: [], problems: required ? [missing] : [] };
  }
  const checked = checkJson(path.join(dir, name), text, schema);
  if (checked.valid) {
    return { source: checked.source, items: (checked.valid.items as T[]).map((value, index) => ({ index, value })), problems: [] };
  }
  const raw = (checked.data as { items?: unknown } | null)?.items;
  const items = Array.isArray(raw)
    ? raw.flatMap((value, index) => {
        const one = schema.shape.items.element.safeParse(value);
        return one.success ? [{ index, value: one.data as T }] : [];
      })
    : [];
  return { source: checked.source, items, problems: checked.problems };
}

export type CatalogSummary = { workflows: number; repositories: number; images: number; previews: number };

export async function validateCatalog(dir: string): Promise<{ problems: Problem[]; summary: CatalogSummary }> {
  const problems: Problem[] = [];
  const at = (source: DocumentSource, fieldPath: FieldPath, message: string) =>
    problems.push(problem(source.file, source.locate(fieldPath).position, fieldPath, message));

  const workflows = await readCatalogFile<Workflow>(dir, CATALOG_FILES.workflows, WorkflowsFile);
  const repositories = await readCatalogFile<Repository>(dir, CATALOG_FILES.repositories, RepositoriesFile);
  const images = await readCatalogFile<Image>(dir, CATALOG_FILES.images, ImagesFile);
  problems.push(...workflows.problems, ...repositories.problems, ...images.problems);

  const media = new Set(await readdir(path.join(dir, CATALOG_DIRS.media)).catch(() => [] as string[]));
  const mediaExists = (file: string) => media.has(file.slice(CATALOG_DIRS.media.length + 1));

  const unique = <T>(list: { source: DocumentSource | null; items: { index: number; value: T }[] }, key: (value: T) => string, field: FieldPath, what: string) => {
    const seen = new Map<string, number>();
    for (const { index, value } of list.items) {
      const first = seen.get(key(value));
      if (first === undefined) seen.set(key(value), index);
      else at(list.source!, ['items', index, ...field], `duplicate ${what} "${key(value)}" (first at items[${first}])`);
    }
    return seen;
  };
  const workflowIds = unique(workflows, (w) => w.id, ['id'], 'workflow id');
  const repositoryUrls = unique(repositories, (r) => r.url, ['url'], 'repository url');
  unique(images, (i) => i.id, ['id'], 'image id');

  for (const { index, value } of workflows.items) {
    if (!repositoryUrls.has(value.repository.url)) {
      at(workflows.source!, ['items', index, 'repository', 'url'], `repository "${value.repository.url}" is not in ${CATALOG_FILES.repositories}`);
    }
    if (value.thumbnail && !mediaExists(value.thumbnail)) {
      at(workflows.source!, ['items', index, 'thumbnail'], `${value.thumbnail} does not exist in the catalog directory`);
    }
  }

  // facility-status.json is optional (absent until the probe first ran); when present it is checked like the rest.
  const statusText = await readText(path.join(dir, FACILITY_STATUS_FILE));
  if (statusText !== null) {
    const statuses = checkJson(path.join(dir, FACILITY_STATUS_FILE), statusText, FacilityStatusFile);
    problems.push(...statuses.problems);
    if (statuses.valid) {
      unique({ source: statuses.source, items: statuses.valid.items.map((value, index) => ({ index, value })) }, (status) => status.id, ['id'], 'facility id');
    }
  }

  const previewDir = path.join(dir, CATALOG_DIRS.previews);
  const previewFiles = (await readdir(previewDir).catch(() => [] as string[])).filter((name) => name.endsWith('.json')).sort();
  for (const name of previewFiles) {
    const file = path.join(previewDir, name);
    const checked = checkJson(file, (await readText(file)) ?? '', NotebookPreview);
    problems.push(...checked.problems);
    const preview = checked.valid;
    if (!preview) continue;
    const expected = name.slice(0, -'.json'.length);
    if (preview.id !== expected) at(checked.source, ['id'], `id "${preview.id}" does not match the file name ${name}`);
    else if (!workflowIds.has(preview.id)) at(checked.source, ['id'], `no workflow "${preview.id}" in ${CATALOG_FILES.workflows} for this preview`);
    preview.cells.forEach((cell, cellIndex) =>
      cell.outputs.forEach((output, outputIndex) => {
        if (output.type === 'image' && !mediaExists(output.src)) {
          at(checked.source, ['cells', cellIndex, 'outputs', outputIndex, 'src'], `${output.src} does not exist in the catalog directory`);
        }
      }),
    );
  }

  return {
    problems: sortProblems(problems),
    summary: {
      workflows: workflows.items.length,
      repositories: repositories.items.length,
      images: images.items.length,
      previews: previewFiles.length,
    },
  };
}
