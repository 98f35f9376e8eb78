import { z } from 'zod';
import { Doi, Provider, Slug, SortedUniqueStrings, SpdxId, Timestamp, WebUrl, Word } from './common.js';
import { Environment } from './environment.js';

/** Where a workflow's repository lives, pinned to the commit it was read at. */
export const RepositoryRef = z
  .object({
    url: WebUrl.describe('Canonical https URL of the repository, e.g. https://github.com/astropy/astropy-tutorials'),
    provider: Provider,
    ref: z.string().min(1).max(255).describe('Branch or tag the crawl followed, e.g. "main".'),
    commit: z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/, 'must be a full git commit id'),
  })
  .strict();
export type RepositoryRef = z.infer<typeof RepositoryRef>;

export const Kernel = z
  .object({
    name: z.string().min(1).max(200),
    displayName: z.string().max(200).nullable(),
    language: z.string().min(1).max(100).nullable(),
  })
  .strict();
export type Kernel = z.infer<typeof Kernel>;

export const CellCounts = z
  .object({
    code: z.number().int().nonnegative(),
    markdown: z.number().int().nonnegative(),
    raw: z.number().int().nonnegative(),
  })
  .strict();

export const Execution = z
  .object({
    /** Whether any code cell carries outputs (the notebook was saved after running). */
    hasOutputs: z.boolean(),
    /** Whether execution counts increase top to bottom; null when no cell was executed. */
    inOrder: z.boolean().nullable(),
  })
  .strict();

/** ESAP's spelling of the language a workflow runs on. */
export const RuntimePlatform = z.string().min(1).max(50);

/** Relative POSIX path inside a repository: no leading slash, no `..`, no backslashes or control characters. */
export const RepoPath = z
  .string()
  .min(1)
  .max(1024)
  .refine((path) => !path.startsWith('/') && !path.split('/').some((part) => part === '..' || part === '.' || part === ''), {
    message: 'must be a relative POSIX path without "." or ".." segments',
  })
  .refine((path) => !/[\\\u0000-\u001f\u007f]/.test(path), { message: 'must not contain backslashes or control characters' });

/** An image written by the extractor (thumbnail, preview output): `media/<sha256>.<png|jpg>`, relative to the catalog directory. */
export const MediaPath = z.string().regex(/^media\/[0-9a-f]{64}\.(png|jpg)$/, 'must be media/<sha256>.png|jpg');

/**
 * How the notebook is stored: a Jupyter `.ipynb`, or a text notebook Jupytext opens as one — MyST markdown
 * (`{code-cell}` directives, `+++` breaks), Jupytext's plain markdown, or a percent script (`# %%` cells).
 * A text notebook opens as a notebook only where Jupytext is installed; it has no outputs.
 */
export const NotebookFormat = z.enum(['ipynb', 'myst', 'jupytext-md', 'percent']);
export type NotebookFormat = z.infer<typeof NotebookFormat>;

export const Workflow = z
  .object({
    id: Slug.describe('Stable, URL-safe, unique; derived from the repository and the notebook path.'),
    title: z.string().min(1).max(300),
    description: z.string().max(2000),
    keywords: z.array(Word),
    authors: z.array(Word),
    license: SpdxId.nullable(),
    repository: RepositoryRef,
    path: RepoPath,
    format: NotebookFormat,
    kernel: Kernel.nullable(),
    language: z
      .string()
      .regex(/^[a-z][a-z0-9+#._-]*$/, 'must be lower case')
      .nullable(),
    imports: SortedUniqueStrings,
    /** Packages installed from inside the notebook (`%pip install`, `!pip install`, `%conda install`). */
    installs: SortedUniqueStrings,
    cells: CellCounts,
    /** The .ipynb's nbformat version; "4" for a text notebook (what Jupytext opens it as). */
    nbformat: z.string().regex(/^\d+(\.\d+)?$/, 'must look like "4.5"'),
    execution: Execution,
    thumbnail: MediaPath.nullable(),
    environment: Environment.nullable(),
    runtimePlatform: RuntimePlatform.nullable(),
    workflowType: z.literal('notebook'),
    /** Last change of the notebook (commit date), or of the repository when unknown. */
    updatedAt: Timestamp,
    /** Size of the notebook file (.ipynb or text notebook) in bytes. */
    size: z.number().int().nonnegative(),
    warnings: z.array(z.string().max(1000)),
    /** Set when the last crawl could not reach the repository; the record is the one seen at this time. */
    staleSince: Timestamp.optional(),
    /** The DOI of the repository's archived releases (a Zenodo record's concept DOI), when a source found one. */
    doi: Doi.optional(),
  })
  .strict();
export type Workflow = z.infer<typeof Workflow>;

export const WorkflowId = Slug;
export { Word as Keyword };
