/**
 * `ida-catalog validate [--facilities PATH] [--curated PATH] [--catalog DIR]`: checks facilities.yaml, the curated
 * workflows and the catalog files and prints every problem as FILE:LINE:COL: FIELD: MESSAGE (plus GitHub annotations in GitHub Actions).
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { CATALOG_FILES, CURATED_FILE } from '../../catalog/contract/index.js';
import { annotation, validateCatalog, validateCurated, validateFacilities, type Problem } from '../../catalog/validate/index.js';
import { parseCommandArgs, type Command } from './args.js';

const usage = `usage: ida-catalog validate [--facilities PATH] [--curated PATH] [--catalog DIR]

Checks the facility registry, the curated workflows and the catalog against the contract and prints every
problem as FILE:LINE:COL: FIELD: MESSAGE. With no option every default is checked; with options only those
named.

  --facilities PATH  facilities file (default: facilities.yaml)
  --curated PATH     curated workflows file (default: the catalog directory's ${CURATED_FILE}, checked with
                     the catalog when it exists); its ids must not be ids in the catalog's workflows.json
  --catalog DIR      catalog directory: workflows.json, repositories.json, images.json, curated.yaml,
                     previews/, media/ (default: catalog)
  -h, --help         show this help

Under GITHUB_ACTIONS=true each problem is also printed as a ::error annotation, so a pull request
shows it on the offending line.

Exit status: 0 valid, 1 problems found, 2 usage error (unknown option, missing file or directory).`;

/** Paths in messages as the user would type them: relative to the working directory when inside it. */
function display(file: string): string {
  const relative = path.relative(process.cwd(), path.resolve(file));
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : path.resolve(file);
}

function report(problems: Problem[]): void {
  const annotate = process.env.GITHUB_ACTIONS === 'true';
  for (const problem of problems) {
    console.error(problem.text);
    if (annotate) console.log(annotation(problem));
  }
}

function plural(count: number, word: string, words = `${word}s`): string {
  return `${count} ${count === 1 ? word : words}`;
}

async function checkFacilities(file: string): Promise<number | Problem[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    console.error(`ida-catalog validate: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    return 2;
  }
  const { facilities, problems } = validateFacilities(text, display(file));
  report(problems);
  const usable = plural(facilities.length, 'facility', 'facilities');
  const verdict = problems.length === 0 ? `valid, ${usable}` : `${plural(problems.length, 'problem')}; ${usable} valid apart from them`;
  console.log(`${display(file)}: ${verdict}`);
  return problems;
}

/** The crawled workflows' ids, read leniently: a broken workflows.json is reported by the catalog check, not here. */
async function workflowIds(dir: string): Promise<Set<string>> {
  try {
    const items = (JSON.parse(await readFile(path.join(dir, CATALOG_FILES.workflows), 'utf8')) as { items?: unknown }).items;
    return new Set(Array.isArray(items) ? items.flatMap((item) => (typeof item?.id === 'string' ? [item.id as string] : [])) : []);
  } catch {
    return new Set();
  }
}

async function checkCurated(file: string, catalogDir: string, required: boolean): Promise<number | Problem[] | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!required && code === 'ENOENT') return null;
    console.error(`ida-catalog validate: cannot read ${file}: ${code ?? (error as Error).message}`);
    return 2;
  }
  const workflowsFile = display(path.join(catalogDir, CATALOG_FILES.workflows));
  const { curated, problems } = validateCurated(text, display(file), { workflowIds: await workflowIds(catalogDir), workflowsFile });
  report(problems);
  const usable = plural(curated.length, 'curated workflow');
  const verdict = problems.length === 0 ? `valid, ${usable}` : `${plural(problems.length, 'problem')}; ${usable} valid apart from them`;
  console.log(`${display(file)}: ${verdict}`);
  return problems;
}

async function checkCatalog(dir: string): Promise<number | Problem[]> {
  const isDir = await stat(dir).then((info) => info.isDirectory(), () => false);
  if (!isDir) {
    console.error(`ida-catalog validate: ${dir} is not a directory`);
    return 2;
  }
  const { problems, summary } = await validateCatalog(display(dir));
  report(problems);
  const counts = `${plural(summary.workflows, 'workflow')}, ${plural(summary.repositories, 'repository', 'repositories')}, ${plural(summary.images, 'image')}, ${plural(summary.previews, 'preview')}`;
  console.log(`${display(dir)}: ${counts}; ${problems.length === 0 ? 'valid' : plural(problems.length, 'problem')}`);
  return problems;
}

export const validateCommand: Command = {
  summary: 'check facilities.yaml, the curated workflows and the catalog files',
  async run(args) {
    const values = parseCommandArgs('validate', args, { facilities: { type: 'string' }, curated: { type: 'string' }, catalog: { type: 'string' } }, usage);
    if (typeof values === 'number') return values;
    const none = values.facilities === undefined && values.curated === undefined && values.catalog === undefined;
    const catalogDir = values.catalog ?? 'catalog';
    const results: (number | Problem[] | null)[] = [];
    if (none || values.facilities !== undefined) results.push(await checkFacilities(values.facilities ?? 'facilities.yaml'));
    // The catalog directory's curated.yaml belongs to the catalog: checked with it unless another file is named.
    if (values.curated !== undefined) results.push(await checkCurated(values.curated, catalogDir, true));
    else if (none || values.catalog !== undefined) results.push(await checkCurated(path.join(catalogDir, CURATED_FILE), catalogDir, false));
    if (none || values.catalog !== undefined) results.push(await checkCatalog(catalogDir));
    if (results.some((result) => result === 2)) return 2;
    return results.some((result) => Array.isArray(result) && result.length > 0) ? 1 : 0;
  },
};
