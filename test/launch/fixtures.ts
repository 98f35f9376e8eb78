/** Small hand-made workflows and facilities for the launch unit tests. */
import { Facility, Workflow, type RepositoryRef } from '../../catalog/contract/index.js';
import { makeWorkflow } from '../support/records.js';

export const COMMIT = '0123456789abcdef0123456789abcdef01234567';

export function repo(overrides: Partial<RepositoryRef> = {}): RepositoryRef {
  return { url: 'https://github.com/astropy/astropy-tutorials', provider: 'github', ref: 'main', commit: COMMIT, ...overrides };
}

export function workflow(overrides: Partial<Workflow> = {}): Workflow {
  return Workflow.parse(
    makeWorkflow({
      id: 'astropy-tutorials-intro',
      title: 'Intro',
      description: 'An introduction.',
      repository: repo(),
      path: 'tutorials/intro.ipynb',
      cells: { code: 1, markdown: 1, raw: 0 },
      runtimePlatform: null,
      updatedAt: '2026-01-01T00:00:00Z',
      ...overrides,
    }),
  );
}

export function facility(overrides: Partial<Facility> = {}): Facility {
  return Facility.parse({
    id: 'hub',
    name: 'A Hub',
    url: 'https://hub.example.org/',
    type: 'jupyterhub',
    interfaces: ['lab', 'notebook'],
    defaultInterface: 'lab',
    access: 'public',
    ...overrides,
  });
}

/** Inputs that must never turn into an href. */
export const HOSTILE_URLS = [
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  ' javascript:alert(1)',
  'java\tscript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  'file:///etc/passwd',
  '//evil.example.org/x',
  '/relative/path',
  'https://user:pass@example.org/x',
  'https://user@example.org/x',
  'https://example.org/x\r\nSet-Cookie: a=b',
  'https://example.org/x\nfoo',
  'https://example.org/\u202egnp.exe',
  'https://example.org/\u200bzero-width',
  'ｊａｖａｓｃｒｉｐｔ:alert(1)',
  'https://exa mple.org/',
  'ftp://example.org/x',
  'git://example.org/x',
  'ssh://git@example.org/x',
  'http:/example.org',
  `https://example.org/${'a'.repeat(3000)}`,
  '',
];
