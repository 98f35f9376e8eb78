/**
 * A complete, schema-valid Workflow record with neutral defaults, for tests that care about a few
 * fields only: each suite overrides what it needs, so no suite carries its own copy of the record's shape.
 */
import type { Repository, Workflow } from '../../catalog/contract/index.js';

export function makeWorkflow(overrides: Partial<Workflow> = {}): Workflow {
  return {
    id: 'test-workflow',
    title: 'Test workflow',
    description: '',
    keywords: [],
    authors: [],
    license: null,
    repository: { url: 'https://github.com/example/notebooks', provider: 'github', ref: 'main', commit: '0123456789abcdef0123456789abcdef01234567' },
    path: 'notebook.ipynb',
    format: 'ipynb',
    kernel: null,
    language: 'python',
    imports: [],
    installs: [],
    cells: { code: 1, markdown: 0, raw: 0 },
    nbformat: '4.5',
    execution: { hasOutputs: false, inOrder: null },
    thumbnail: null,
    environment: null,
    runtimePlatform: 'Python',
    workflowType: 'notebook',
    updatedAt: '2024-01-01T00:00:00Z',
    size: 100,
    warnings: [],
    ...overrides,
  };
}

/** A complete, schema-valid Repository record with neutral defaults (no forge fields), for tests that care about a few fields. */
export function makeRepository(overrides: Partial<Repository> = {}): Repository {
  const url = overrides.url ?? 'https://github.com/example/notebooks';
  return {
    url,
    provider: 'github',
    fullName: new URL(url).pathname.slice(1),
    source: 'test-source',
    description: null,
    topics: [],
    license: null,
    authors: [],
    homepage: null,
    stars: null,
    defaultBranch: null,
    pushedAt: null,
    archived: null,
    fork: null,
    ref: 'main',
    commit: '0123456789abcdef0123456789abcdef01234567',
    committedAt: '2024-01-01T00:00:00Z',
    environment: null,
    notebooks: 1,
    warnings: [],
    ...overrides,
  };
}
