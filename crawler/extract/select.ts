/**
 * Which files of a repository tree matter, decided from paths and sizes alone (before any blob is fetched):
 * notebooks, sidecar metadata.json, environment files, codemeta.json, CITATION.cff, licence and README.
 */
import picomatch from 'picomatch';
import { RepoPath } from '../../catalog/contract/index.js';
import { BINDER_DIRS, ENVIRONMENT_FILES } from './environment.js';
import { formatBytes } from './media.js';
import { README_PATTERN, readmeRank } from './readme.js';
import { isMarkdownCandidate, isTextNotebookCandidate } from './textnotebook.js';

export type TreeEntry = { path: string; size: number };
export type ExtractOptions = {
  /** Notebooks larger than this are not read (a minimal record is still made). Default 20 MB. */
  maxNotebookBytes?: number;
  /** Other files (metadata, environment, licence, README) larger than this are not read. Default 1 MB. */
  maxFileBytes?: number;
  /** Images larger than this are not kept (thumbnail, preview). Default 2 MB. */
  maxMediaBytes?: number;
  /** Globs (picomatch, matched against the path and each parent folder) of files to leave out; from the source config. */
  ignore?: string[];
  /** When given, only notebooks matching one of these globs are taken. */
  include?: string[];
  /** Like `ignore`. */
  exclude?: string[];
};

/** Scripts read per repository to look for percent-format notebooks (a package has hundreds of modules). */
export const MAX_SCRIPT_CANDIDATES = 200;

export const DEFAULTS = { maxNotebookBytes: 20 * 1024 * 1024, maxFileBytes: 1024 * 1024, maxMediaBytes: 2 * 1024 * 1024 } as const;

/** `text-notebook`: a file that may be a text notebook (MyST, Jupytext markdown, percent script); its content decides. */
export type Role = 'notebook' | 'text-notebook' | 'sidecar' | 'environment' | 'codemeta' | 'citation' | 'license' | 'readme';

export const LICENSE_PATTERN = /^(?:licen[cs]e|copying)(?:[.-][\w.-]*)?$/i;

export function dirname(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function isNotebookPath(path: string): boolean {
  return /\.ipynb$/i.test(path) && !path.split('/').includes('.ipynb_checkpoints');
}

/** Folders whose environment files count: the top level, binder/ and .binder/, and every folder holding notebooks and their parents. */
function environmentDirs(notebooks: string[]): Set<string> {
  const dirs = new Set<string>(['', ...BINDER_DIRS]);
  for (const path of notebooks) {
    for (let dir = dirname(path); dir && !dirs.has(dir); dir = dirname(dir)) dirs.add(dir);
  }
  return dirs;
}

function matcher(globs: string[] | undefined): ((path: string) => boolean) | null {
  if (!globs || globs.length === 0) return null;
  const test = picomatch(globs, { dot: true });
  return (path) => {
    for (let candidate = path; candidate; candidate = dirname(candidate)) if (test(candidate)) return true;
    return false;
  };
}

export type Selection = {
  wanted: string[];
  skipped: { path: string; reason: string }[];
  /** Role of every path that matters (read or not), e.g. a Dockerfile is an environment file we never read. */
  roles: Map<string, Role>;
  /** Notebooks too large to read: they still get a minimal record. */
  oversized: TreeEntry[];
};

export function selectFiles(entries: TreeEntry[], options: ExtractOptions = {}): { wanted: string[]; skipped: { path: string; reason: string }[] } {
  const { wanted, skipped } = classifyTree(entries, options);
  return { wanted, skipped };
}

export function classifyTree(entries: TreeEntry[], options: ExtractOptions = {}): Selection {
  const maxNotebook = options.maxNotebookBytes ?? DEFAULTS.maxNotebookBytes;
  const maxFile = options.maxFileBytes ?? DEFAULTS.maxFileBytes;
  const ignored = matcher([...(options.ignore ?? []), ...(options.exclude ?? [])]);
  const included = matcher(options.include);
  const skipped: { path: string; reason: string }[] = [];
  const roles = new Map<string, Role>();
  const oversized: TreeEntry[] = [];
  const wanted: string[] = [];

  const safe: TreeEntry[] = [];
  for (const entry of entries) {
    const name = basename(entry.path);
    const relevant =
      isNotebookPath(entry.path) ||
      isTextNotebookCandidate(entry.path) ||
      name === 'metadata.json' ||
      name in ENVIRONMENT_FILES ||
      (!entry.path.includes('/') && (name === 'codemeta.json' || name === 'CITATION.cff' || LICENSE_PATTERN.test(name) || README_PATTERN.test(name)));
    if (!relevant) continue;
    if (!RepoPath.safeParse(entry.path).success) {
      skipped.push({ path: entry.path, reason: 'unsafe path (absolute, "..", backslash or control characters); not read' });
      continue;
    }
    if (ignored?.(entry.path)) {
      if (isNotebookPath(entry.path)) skipped.push({ path: entry.path, reason: 'matches the ignore list' });
      continue;
    }
    safe.push(entry);
  }

  // A text file beside an .ipynb of the same name is its Jupytext pair (`formats: ipynb,md:myst`), the same notebook:
  // the .ipynb is the workflow. Scripts are many in code repositories: only the first MAX_SCRIPT_CANDIDATES
  // (shallowest first) are read to look for a percent-format header.
  const ipynbStems = new Set(safe.filter((entry) => isNotebookPath(entry.path)).map((entry) => entry.path.replace(/\.ipynb$/i, '')));
  const unpaired = (entry: TreeEntry) => !ipynbStems.has(entry.path.replace(/\.[^./]+$/, ''));
  const scripts = safe
    .filter((entry) => isTextNotebookCandidate(entry.path) && !isMarkdownCandidate(entry.path) && unpaired(entry))
    .sort((a, b) => a.path.split('/').length - b.path.split('/').length || (a.path < b.path ? -1 : 1));
  const checkedScripts = new Set(scripts.slice(0, MAX_SCRIPT_CANDIDATES).map((entry) => entry.path));
  if (scripts.length > MAX_SCRIPT_CANDIDATES) {
    skipped.push({ path: scripts[MAX_SCRIPT_CANDIDATES]!.path, reason: `is one of ${scripts.length - MAX_SCRIPT_CANDIDATES} scripts not checked for a Jupytext percent-format header (only the first ${MAX_SCRIPT_CANDIDATES} are read)` });
  }
  const isCandidate = (entry: TreeEntry) =>
    isTextNotebookCandidate(entry.path) && unpaired(entry) && (isMarkdownCandidate(entry.path) || checkedScripts.has(entry.path));
  const taken = (entry: TreeEntry) => !included || included(entry.path);
  const notebooks = safe.filter((entry) => isNotebookPath(entry.path) && taken(entry));
  const notebookDirs = new Set(notebooks.map((entry) => dirname(entry.path)));
  // Markdown text notebooks count for environment folders like .ipynb files; a folder of scripts (a Python
  // package) does not, or every package's requirements would be read.
  const textNotebooks = safe.filter((entry) => isCandidate(entry) && isMarkdownCandidate(entry.path) && taken(entry));
  const envDirs = environmentDirs([...notebooks, ...textNotebooks].map((entry) => entry.path));
  let readme: TreeEntry | null = null;

  const want = (entry: TreeEntry, role: Role, read: boolean, cap: number): void => {
    roles.set(entry.path, role);
    if (!read) return;
    // Most candidates are not notebooks: one too large to read is left out without a word.
    if (role === 'text-notebook' && entry.size > cap) {
      roles.delete(entry.path);
      return;
    }
    if (entry.size > cap) {
      if (role === 'notebook') oversized.push(entry);
      skipped.push({ path: entry.path, reason: `${formatBytes(entry.size)} exceeds the ${formatBytes(cap)} cap for ${role === 'notebook' ? 'notebooks' : 'metadata files'}; not read` });
      return;
    }
    wanted.push(entry.path);
  };

  for (const entry of safe) {
    const name = basename(entry.path);
    const dir = dirname(entry.path);
    if (isNotebookPath(entry.path)) {
      if (!included || included(entry.path)) want(entry, 'notebook', true, maxNotebook);
    } else if (isCandidate(entry)) {
      if (!included || included(entry.path)) want(entry, 'text-notebook', true, maxNotebook);
    } else if (name === 'metadata.json' && notebookDirs.has(dir)) {
      want(entry, 'sidecar', true, maxFile);
    } else if (name in ENVIRONMENT_FILES && envDirs.has(dir)) {
      want(entry, 'environment', ENVIRONMENT_FILES[name]!.read, maxFile);
    } else if (dir === '' && name === 'codemeta.json') {
      want(entry, 'codemeta', true, maxFile);
    } else if (dir === '' && name === 'CITATION.cff') {
      want(entry, 'citation', true, maxFile);
    } else if (dir === '' && LICENSE_PATTERN.test(name)) {
      want(entry, 'license', true, maxFile);
    } else if (dir === '' && README_PATTERN.test(name) && (!readme || readmeRank(name) < readmeRank(readme.path))) {
      readme = entry;
    }
  }
  if (readme) want(readme, 'readme', true, maxFile);
  wanted.sort();
  skipped.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { wanted, skipped, roles, oversized };
}
