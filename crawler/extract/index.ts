/**
 * Notebook and repository metadata extraction (issue #3). Pure functions: the crawler hands in a
 * repository snapshot (tree + lazy blob readers), we hand back contract records. No network, no fs.
 */
import type { Environment, NotebookPreview, Workflow } from '../../catalog/contract/index.js';

export type TreeEntry = { path: string; size: number };
export type RepoFile = TreeEntry & { read(): Promise<Buffer> };
export type RepoSnapshot = {
  repository: { url: string; provider: 'github' | 'gitlab' | 'git'; fullName: string; ref: string; commit: string; committedAt: string };
  files: RepoFile[];
  fileDates?: Record<string, string>;
  topics?: string[];
  forgeLicense?: string | null;
  forgeDescription?: string | null;
};
export type ExtractOptions = {
  maxNotebookBytes?: number;
  maxFileBytes?: number;
  maxMediaBytes?: number;
  ignore?: string[];
  include?: string[];
  exclude?: string[];
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
  workflows: Workflow[];
  previews: Record<string, NotebookPreview>;
  media: Record<string, Buffer>;
  warnings: string[];
};

export function selectFiles(entries: TreeEntry[], options?: ExtractOptions): { wanted: string[]; skipped: { path: string; reason: string }[] } {
  void options;
  return { wanted: entries.filter((e) => e.path.endsWith('.ipynb')).map((e) => e.path).sort(), skipped: [] };
}

export function workflowId(repositoryUrl: string, path: string): string {
  const slug = `${repositoryUrl} ${path}`.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 180);
  return slug || 'workflow';
}

export async function extractRepository(snapshot: RepoSnapshot, options?: ExtractOptions): Promise<ExtractResult> {
  void snapshot;
  void options;
  return {
    repository: { description: null, license: null, authors: [], homepage: null, keywords: [], environment: null, notebooks: 0, warnings: [] },
    workflows: [],
    previews: {},
    media: {},
    warnings: [],
  };
}
