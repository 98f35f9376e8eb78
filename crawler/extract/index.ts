/**
 * Notebook and repository metadata extraction (issue #3). Pure functions over a repository snapshot: the crawler
 * hands in the tree with lazy blob readers, we read only what `selectFiles` wants and return contract records.
 * Bad input is normal input: every problem is a warning naming the file, never an exception, never a lost sibling.
 */
import pLimit from 'p-limit';
import { type Environment, type NotebookPreview, Timestamp, type Workflow, Workflow as WorkflowSchema } from '../../catalog/contract/index.js';
import { BUDGET_DEFAULTS, Budget, type BudgetOptions, budgetWarning, withBudget } from './budget.js';
import { type CitationMeta, fromCitationCff, fromCodemeta, webUrl } from './citation.js';
import { BINDER_DIRS, environmentOf } from './environment.js';
import { sortedUnique } from './imports/shared.js';
import { workflowId } from './id.js';
import { decodeText, parseJson } from './json.js';
import { detectLicense, normaliseLicense } from './license.js';
import { formatBytes } from './media.js';
import { readmeDescription } from './readme.js';
import { type ExtractOptions, type TreeEntry, DEFAULTS, basename, classifyTree, dirname, selectFiles } from './select.js';
import { type Sidecar, sidecarOf } from './title.js';
import { Warnings, forFile } from './warnings.js';
import { type NotebookContext, type NotebookResult, extractNotebook, minimalNotebook } from './workflow.js';

export { selectFiles, workflowId };
export type { BudgetOptions, ExtractOptions, TreeEntry };

export type RepoFile = TreeEntry & { read(): Promise<Buffer> };
export type RepoSnapshot = {
  repository: { url: string; provider: 'github' | 'gitlab' | 'git'; fullName: string; ref: string; commit: string; committedAt: string };
  /** The repository tree; only files chosen by selectFiles are read. */
  files: RepoFile[];
  /** path → ISO date of the last commit touching it, when known. */
  fileDates?: Record<string, string>;
  /** Forge topics (GitHub API), when known. */
  topics?: string[];
  /** SPDX id from the forge API, when known. */
  forgeLicense?: string | null;
  forgeDescription?: string | null;
};
export type RepositoryMetadata = {
  description: string | null;
  license: string | null;
  authors: string[];
  homepage: string | null;
  keywords: string[];
  environment: Environment | null;
  notebooks: number;
  warnings: string[];
};
export type ExtractResult = {
  repository: RepositoryMetadata;
  /** Sorted by id; each passes the Workflow schema. */
  workflows: Workflow[];
  /** By workflow id. */
  previews: Record<string, NotebookPreview>;
  /** 'media/<sha256>.png|jpg' → bytes (thumbnails and preview images). */
  media: Record<string, Buffer>;
  /** Everything worth logging: skipped files, unreadable metadata, and each workflow's warnings; each names its file. */
  warnings: string[];
};

/** Notebooks read and parsed at once: overlaps the crawler's blob fetches without holding many large files. */
const NOTEBOOK_CONCURRENCY = 4;
const MAX_REPOSITORY_WARNINGS = 50;

export async function extractRepository(snapshot: RepoSnapshot, options: ExtractOptions & BudgetOptions = {}): Promise<ExtractResult> {
  const maxFile = options.maxFileBytes ?? DEFAULTS.maxFileBytes;
  const maxNotebook = options.maxNotebookBytes ?? DEFAULTS.maxNotebookBytes;
  const maxMedia = options.maxMediaBytes ?? DEFAULTS.maxMediaBytes;
  const selection = classifyTree(snapshot.files, options);
  const repoWarnings: string[] = selection.skipped.map((skip) => forFile(skip.path, skip.reason));
  const warn = (file: string, message: string) => repoWarnings.push(forFile(file, message));
  const files = new Map(snapshot.files.map((file) => [file.path, file]));

  // Small metadata files first: they inform every notebook.
  const texts = new Map<string, string>();
  const metadataPaths = selection.wanted.filter((path) => selection.roles.get(path) !== 'notebook');
  await Promise.all(
    metadataPaths.map(async (path) => {
      const bytes = await readCapped(files.get(path), maxFile, warn);
      if (!bytes) return;
      const decoded = decodeText(bytes);
      for (const message of decoded.warnings) if (!message.includes('byte order mark')) warn(path, message);
      texts.set(path, decoded.text);
    }),
  );

  const citation = repositoryCitation(selection.roles, texts, warn);
  const license =
    citation.license ??
    firstOf(pathsWithRole(selection.roles, 'license'), (path) => (texts.has(path) ? detectLicense(texts.get(path)!) : null)) ??
    normaliseLicense(snapshot.forgeLicense ?? null);
  const readmePath = pathsWithRole(selection.roles, 'readme')[0];
  const description =
    citation.description ??
    (snapshot.forgeDescription?.trim() ? snapshot.forgeDescription.trim().slice(0, 2000) : null) ??
    (readmePath && texts.has(readmePath) ? readmeDescription(basename(readmePath), texts.get(readmePath)!) : null);

  const environments = folderEnvironments(selection.roles, texts, warn);
  const binderDir = BINDER_DIRS.find((dir) => environments.has(dir));
  const repoEnvironment = environments.get(binderDir ?? '') ?? null;
  const environmentFor = (path: string): Environment | null => {
    for (let dir = dirname(path); dir; dir = dirname(dir)) {
      const found = environments.get(dir);
      if (found && !BINDER_DIRS.includes(dir)) return found;
    }
    return repoEnvironment;
  };

  const sidecars = new Map<string, Sidecar | null>();
  for (const path of pathsWithRole(selection.roles, 'sidecar')) {
    const text = texts.get(path);
    if (text === undefined) continue;
    const parsed = parseJson(text);
    for (const message of parsed.warnings) warn(path, message);
    if (!parsed.ok) warn(path, `${parsed.error}; the notebooks beside it are described from their own content`);
    else if (!sidecarOf(parsed.value)) warn(path, 'is not a JSON object with "keywords"/"description"; ignored');
    sidecars.set(dirname(path), parsed.ok ? sidecarOf(parsed.value) : null);
  }

  const { url, provider, ref, commit, committedAt } = snapshot.repository;
  const topics = (snapshot.topics ?? []).filter((topic) => typeof topic === 'string');
  const contextFor = (entry: TreeEntry): NotebookContext => {
    const date = snapshot.fileDates?.[entry.path];
    return {
      id: workflowId(url, entry.path),
      path: entry.path,
      size: entry.size,
      repository: { url, provider, ref, commit },
      updatedAt: date && Timestamp.safeParse(date).success ? date : committedAt,
      sidecar: sidecars.get(dirname(entry.path)) ?? null,
      topics,
      authors: citation.authors,
      license,
      environment: environmentFor(entry.path),
      maxMediaBytes: maxMedia,
    };
  };

  const limit = pLimit(NOTEBOOK_CONCURRENCY);
  const repositoryBudget = new Budget(options.repositoryBudgetMs ?? BUDGET_DEFAULTS.repositoryMs, options.clock);
  const wantedSet = new Set(selection.wanted);
  const oversized = new Set(selection.oversized.map((entry) => entry.path));
  const notebookPaths = pathsWithRole(selection.roles, 'notebook').filter((path) => wantedSet.has(path) || oversized.has(path));
  const results = await Promise.all(
    notebookPaths.map((path) =>
      limit(async (): Promise<NotebookResult> => {
        const entry = files.get(path)!;
        const context = contextFor(entry);
        if (!wantedSet.has(path)) {
          const warnings = new Warnings(path);
          warnings.add(`is ${formatBytes(entry.size)}, over the ${formatBytes(maxNotebook)} notebook cap; not read, only a minimal record was made`);
          return minimalNotebook(context, warnings, true);
        }
        const problems: string[] = [];
        const bytes = await readCapped(entry, maxNotebook, (_file, message) => problems.push(message), (size) => (context.size = size));
        if (!bytes) {
          const warnings = new Warnings(path);
          warnings.addAll(problems.map((message) => `${message}; only a minimal record was made`));
          return minimalNotebook(context, warnings, true);
        }
        if (repositoryBudget.exhausted) {
          const warnings = new Warnings(path);
          warnings.add(`not extracted: the repository's ${repositoryBudget.ms} ms extraction budget was spent; only a minimal record was made`);
          return minimalNotebook(context, warnings, true);
        }
        const budget = new Budget(options.notebookBudgetMs ?? BUDGET_DEFAULTS.notebookMs, options.clock);
        const result = withBudget(budget, () => extractNotebook(bytes, { ...context, size: bytes.length }));
        const spent = budgetWarning(budget);
        if (spent) result.workflow.warnings.push(forFile(path, spent));
        return checked(result, context);
      }),
    ),
  );

  const workflows: Workflow[] = [];
  const previews: Record<string, NotebookPreview> = {};
  const media: Record<string, Buffer> = {};
  const notebookWarnings: string[] = [];
  for (const result of results) {
    workflows.push(result.workflow);
    previews[result.workflow.id] = result.preview;
    for (const image of result.media) media[image.path] = image.bytes;
    notebookWarnings.push(...result.workflow.warnings);
  }
  workflows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  const repository: RepositoryMetadata = {
    description,
    license,
    authors: citation.authors,
    homepage: citation.homepage,
    keywords: sortedUnique(citation.keywords.map((keyword) => keyword.toLowerCase())),
    environment: repoEnvironment,
    notebooks: workflows.length,
    warnings: capWarnings(repoWarnings),
  };
  return { repository, workflows, previews, media: sortedRecord(media), warnings: [...repoWarnings, ...notebookWarnings] };
}

/** Reads a file, refusing it (with a warning) when the read fails or it is over the cap (trees may under-report sizes). */
async function readCapped(
  file: RepoFile | undefined,
  cap: number,
  warn: (file: string, message: string) => void,
  onSize?: (size: number) => void,
): Promise<Buffer | null> {
  if (!file) return null;
  try {
    const bytes = await file.read();
    // Trees without sizes (plain git) report 0: the real size is known only now.
    onSize?.(bytes.length);
    if (bytes.length > cap) {
      warn(file.path, `is ${formatBytes(bytes.length)}, over the ${formatBytes(cap)} cap; not read`);
      return null;
    }
    return bytes;
  } catch (error) {
    warn(file.path, `could not be read: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }
}

/** A safety net: a record the schema refuses (an extractor bug) is replaced by the minimal record, with the reason. */
function checked(result: NotebookResult, context: NotebookContext): NotebookResult {
  const verdict = WorkflowSchema.safeParse(result.workflow);
  if (verdict.success) return result;
  const warnings = new Warnings(context.path);
  const issue = verdict.error.issues[0]!;
  warnings.add(`extracted record failed the Workflow schema at ${issue.path.join('.')}: ${issue.message}; only a minimal record was kept`);
  return minimalNotebook(context, warnings, false, /^\d+(\.\d+)?$/.test(result.workflow.nbformat) ? result.workflow.nbformat : '0');
}

/** codemeta.json, then CITATION.cff: the first to say something wins each field; authors and keywords are merged. */
function repositoryCitation(roles: Map<string, string>, texts: Map<string, string>, warn: (file: string, message: string) => void): CitationMeta {
  const sources: CitationMeta[] = [];
  for (const [path, role] of roles) {
    const text = texts.get(path);
    if (text === undefined) continue;
    if (role === 'codemeta') {
      const parsed = parseJson(text);
      for (const message of parsed.warnings) warn(path, message);
      if (parsed.ok) sources.unshift(fromCodemeta(parsed.value));
      else warn(path, `${parsed.error}; ignored`);
    } else if (role === 'citation') {
      try {
        sources.push(fromCitationCff(text));
      } catch (error) {
        warn(path, `is not valid YAML (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); ignored`);
      }
    }
  }
  return {
    description: firstOf(sources, (source) => source.description),
    license: firstOf(sources, (source) => source.license),
    authors: [...new Set(sources.flatMap((source) => source.authors))],
    keywords: sources.flatMap((source) => source.keywords),
    homepage: firstOf(sources, (source) => (source.homepage ? webUrl(source.homepage) : null)),
  };
}

/** Environment files grouped by folder, each folder's environment decided by repo2docker's precedence. */
function folderEnvironments(roles: Map<string, string>, texts: Map<string, string>, warn: (file: string, message: string) => void): Map<string, Environment> {
  const byDir = new Map<string, Map<string, string | null>>();
  for (const [path, role] of roles) {
    if (role !== 'environment') continue;
    const dir = dirname(path);
    if (!byDir.has(dir)) byDir.set(dir, new Map());
    byDir.get(dir)!.set(basename(path), texts.get(path) ?? null);
  }
  const environments = new Map<string, Environment>();
  for (const [dir, files] of byDir) {
    const environment = environmentOf(dir, files, warn);
    if (environment) environments.set(dir, environment);
  }
  return environments;
}

function pathsWithRole(roles: Map<string, string>, role: string): string[] {
  const paths: string[] = [];
  for (const [path, candidate] of roles) if (candidate === role) paths.push(path);
  return paths.sort();
}

function firstOf<T, R>(items: T[], pick: (item: T) => R | null): R | null {
  for (const item of items) {
    const value = pick(item);
    if (value !== null && value !== undefined) return value;
  }
  return null;
}

function capWarnings(warnings: string[]): string[] {
  return warnings.length <= MAX_REPOSITORY_WARNINGS ? warnings : [...warnings.slice(0, MAX_REPOSITORY_WARNINGS - 1), `… and ${warnings.length - MAX_REPOSITORY_WARNINGS + 1} more warnings`];
}

function sortedRecord<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
