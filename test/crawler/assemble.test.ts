/** assembleCatalog: the pure rules of what the next catalog keeps, refreshes, marks stale and drops. */
import { describe, expect, it } from 'vitest';
import type { Repository, Workflow } from '../../catalog/contract/index.js';
import { assembleCatalog, type AssembleInput, type PreviousCatalog } from '../../crawler/crawl/assemble.js';
import { emptyState, type RepositoryState } from '../../crawler/crawl/state.js';
import type { SourceListing } from '../../crawler/crawl/target.js';
import type { RepoOutcome } from '../../crawler/crawl/visit.js';
import { makeRepository, makeWorkflow } from '../support/records.js';

const COMMIT = '0123456789abcdef0123456789abcdef01234567';
const NEW_COMMIT = 'fedcba9876543210fedcba9876543210fedcba98';
const EARLIER = '2026-01-01T00:00:00Z';
const NOW = '2026-02-01T00:00:00Z';

function repo(name: string, source: string, overrides: Partial<Repository> = {}): Repository {
  return makeRepository({ url: `https://github.com/org/${name}`, source, commit: COMMIT, committedAt: EARLIER, ...overrides });
}

function flow(name: string, overrides: Partial<Workflow> = {}): Workflow {
  return makeWorkflow({ id: `org-${name}-nb`, repository: { url: `https://github.com/org/${name}`, provider: 'github', ref: 'main', commit: COMMIT }, ...overrides });
}

function repoState(source: string, id: string, media: string[] = []): RepositoryState {
  return { source, ref: 'main', commit: COMMIT, options: 'opts', seenAt: EARLIER, workflows: [id], media, forge: null };
}

/** Three repositories: a and b from source "s1", c from source "s2". */
function previousCatalog(): PreviousCatalog {
  const state = emptyState();
  state.repositories['https://github.com/org/a'] = repoState('s1', 'org-a-nb', ['a'.repeat(64) + '.png']);
  state.repositories['https://github.com/org/b'] = repoState('s1', 'org-b-nb');
  state.repositories['https://github.com/org/c'] = repoState('s2', 'org-c-nb');
  return { repositories: [repo('a', 's1'), repo('b', 's1'), repo('c', 's2')], workflows: [flow('a'), flow('b'), flow('c')], state };
}

const ok = (id: string): SourceListing => ({ id, failed: false, errors: [] });
const unchanged = (previous: PreviousCatalog, name: string): RepoOutcome => ({
  kind: 'fresh',
  repository: previous.repositories.find((r) => r.url.endsWith(`/${name}`))!,
  workflows: previous.workflows.filter((w) => w.repository.url.endsWith(`/${name}`)),
  state: previous.state.repositories[`https://github.com/org/${name}`]!,
  changed: false,
});

function input(previous: PreviousCatalog, parts: Partial<AssembleInput>): AssembleInput {
  return { previous, listings: [], visited: [], api: {}, startedAt: NOW, ...parts };
}

const urls = (items: { url: string }[]) => items.map((item) => item.url);
const ids = (items: { id: string }[]) => items.map((item) => item.id);

describe('assembleCatalog', () => {
  it('a changed repository replaces its records; an unchanged one keeps them; the output is sorted', () => {
    const previous = previousCatalog();
    const fresh = repo('a', 's1', { commit: NEW_COMMIT });
    const freshFlows = [flow('a', { id: 'org-a-nb-2' }), flow('a', { id: 'org-a-nb' })];
    const result = assembleCatalog(
      input(previous, {
        listings: [ok('s1')],
        visited: [
          { url: 'https://github.com/org/b', sourceId: 's1', outcome: unchanged(previous, 'b') },
          { url: 'https://github.com/org/a', sourceId: 's1', outcome: { kind: 'fresh', repository: fresh, workflows: freshFlows, state: { ...repoState('s1', 'x'), commit: NEW_COMMIT }, changed: true } },
        ],
      }),
    );
    expect(urls(result.repositories)).toEqual(['https://github.com/org/a', 'https://github.com/org/b', 'https://github.com/org/c']);
    expect(result.repositories[0]!.commit).toBe(NEW_COMMIT);
    expect(ids(result.workflows)).toEqual(['org-a-nb', 'org-a-nb-2', 'org-b-nb', 'org-c-nb']);
    expect(result.state.repositories['https://github.com/org/a']!.commit).toBe(NEW_COMMIT);
    expect(result.summaries).toEqual([{ id: 's1', status: 'ok', repositories: 2, changed: 1, unchanged: 1, removed: 0, stale: 0, workflows: 3, errors: [], warnings: [] }]);
  });

  it('sources not crawled this run keep their records, state and failing dates untouched', () => {
    const previous = previousCatalog();
    previous.state.failingSince['https://github.com/org/c'] = EARLIER;
    const result = assembleCatalog(
      input(previous, {
        listings: [ok('s1')],
        visited: ['a', 'b'].map((name) => ({ url: `https://github.com/org/${name}`, sourceId: 's1', outcome: unchanged(previous, name) })),
      }),
    );
    expect(result.repositories.find((r) => r.source === 's2')).toEqual(repo('c', 's2'));
    expect(result.state.repositories['https://github.com/org/c']).toEqual(previous.state.repositories['https://github.com/org/c']);
    expect(result.state.failingSince).toEqual({ 'https://github.com/org/c': EARLIER });
    expect(result.summaries.map((s) => s.id)).toEqual(['s1']);
  });

  it('a repository that fails keeps its previous records and state, stale since its first failure', () => {
    const previous = previousCatalog();
    previous.state.failingSince['https://github.com/org/b'] = EARLIER;
    const result = assembleCatalog(
      input(previous, {
        listings: [ok('s1')],
        visited: [
          { url: 'https://github.com/org/a', sourceId: 's1', outcome: { kind: 'failed', error: 'git clone failed' } },
          { url: 'https://github.com/org/b', sourceId: 's1', outcome: { kind: 'failed', error: 'timeout' } },
        ],
      }),
    );
    const stale = new Map(result.repositories.map((r) => [r.url, r.staleSince]));
    expect(stale.get('https://github.com/org/a')).toBe(NOW);
    expect(stale.get('https://github.com/org/b')).toBe(EARLIER);
    expect(result.workflows.find((w) => w.id === 'org-a-nb')?.staleSince).toBe(NOW);
    // its state (and so its media) is kept
    expect(result.state.repositories['https://github.com/org/a']!.media).toEqual(['a'.repeat(64) + '.png']);
    expect(result.summaries[0]).toMatchObject({ status: 'partial', stale: 2, errors: ['https://github.com/org/a: git clone failed', 'https://github.com/org/b: timeout'] });
  });

  it('a source whose listing failed keeps every record it had, stale; its summary says why', () => {
    const previous = previousCatalog();
    const result = assembleCatalog(input(previous, { listings: [{ id: 's1', failed: true, errors: ['HTTP 500'] }] }));
    expect(urls(result.repositories)).toEqual(urls(previous.repositories));
    expect(result.repositories.filter((r) => r.source === 's1').every((r) => r.staleSince === NOW)).toBe(true);
    expect(Object.keys(result.state.repositories)).toHaveLength(3);
    expect(result.summaries[0]).toMatchObject({ status: 'stale', stale: 2, errors: ['HTTP 500'] });
  });

  it('a repository found empty, or no longer listed, is kept stale the first time and marked missing', () => {
    const previous = previousCatalog();
    const result = assembleCatalog(
      input(previous, {
        listings: [ok('s1')],
        visited: [{ url: 'https://github.com/org/a', sourceId: 's1', outcome: { kind: 'removed' } }],
      }),
    );
    expect(urls(result.repositories)).toEqual(urls(previous.repositories));
    expect(result.repositories.filter((r) => r.source === 's1').map((r) => r.staleSince)).toEqual([NOW, NOW]);
    expect(result.workflows.find((w) => w.id === 'org-a-nb')?.staleSince).toBe(NOW);
    expect(result.state.repositories['https://github.com/org/a']).toEqual(previous.state.repositories['https://github.com/org/a']);
    expect(result.state.missingSince).toEqual({ 'https://github.com/org/a': NOW, 'https://github.com/org/b': NOW });
    expect(result.summaries[0]).toMatchObject({ status: 'partial', removed: 0, stale: 2 });
    expect(result.summaries[0]!.errors).toEqual([
      'https://github.com/org/a is empty: its records are kept (stale) and removed if the next crawl finds it missing too',
      'https://github.com/org/b is no longer listed by source s1: its records are kept (stale) and removed if the next crawl finds it missing too',
    ]);
  });

  it('missing on the next crawl of its source too: removed; back in between: missing no more', () => {
    const previous = previousCatalog();
    previous.state.missingSince = { 'https://github.com/org/a': EARLIER, 'https://github.com/org/b': EARLIER };
    const result = assembleCatalog(
      input(previous, {
        listings: [ok('s1')],
        visited: [
          { url: 'https://github.com/org/a', sourceId: 's1', outcome: { kind: 'removed' } },
          { url: 'https://github.com/org/b', sourceId: 's1', outcome: unchanged(previous, 'b') },
        ],
      }),
    );
    expect(urls(result.repositories)).toEqual(['https://github.com/org/b', 'https://github.com/org/c']);
    expect(result.repositories[0]!.staleSince).toBeUndefined();
    expect(ids(result.workflows)).toEqual(['org-b-nb', 'org-c-nb']);
    expect(result.state.repositories['https://github.com/org/a']).toBeUndefined();
    expect(result.state.missingSince).toEqual({});
    expect(result.summaries[0]).toMatchObject({ removed: 1, errors: [`https://github.com/org/a is empty, as it was on the crawl of ${EARLIER}: its records are removed`] });
  });

  it('no evidence, no verdict: a failed visit or listing keeps the first missing date', () => {
    const previous = previousCatalog();
    previous.state.missingSince = { 'https://github.com/org/a': EARLIER, 'https://github.com/org/c': EARLIER };
    const result = assembleCatalog(
      input(previous, {
        listings: [ok('s1'), { id: 's2', failed: true, errors: ['HTTP 502'] }],
        visited: [
          { url: 'https://github.com/org/a', sourceId: 's1', outcome: { kind: 'failed', error: 'timeout' } },
          { url: 'https://github.com/org/b', sourceId: 's1', outcome: unchanged(previous, 'b') },
        ],
      }),
    );
    expect(urls(result.repositories)).toEqual(urls(previous.repositories));
    expect(result.state.missingSince).toEqual(previous.state.missingSince);
  });

  it('refuses duplicate workflow ids, naming both notebooks and their sources', () => {
    const previous = previousCatalog();
    const clash = flow('a', { id: 'org-c-nb', path: 'clash.ipynb' });
    const result = assembleCatalog(
      input(previous, {
        listings: [ok('s1')],
        visited: [
          { url: 'https://github.com/org/a', sourceId: 's1', outcome: { ...unchanged(previous, 'a'), workflows: [clash], changed: true } as RepoOutcome },
          { url: 'https://github.com/org/b', sourceId: 's1', outcome: unchanged(previous, 'b') },
        ],
      }),
    );
    expect(result.problems).toEqual([
      expect.stringMatching(/^duplicate workflow id "org-c-nb": https:\/\/github.com\/org\/(a clash\.ipynb \(source s1\)|c notebook\.ipynb \(source s2\)) and https:\/\/github.com\/org\/(a clash\.ipynb \(source s1\)|c notebook\.ipynb \(source s2\)); the crawl stopped/),
    ]);
    expect(result.problems[0]).toContain('org/a clash.ipynb (source s1)');
    expect(result.problems[0]).toContain('org/c notebook.ipynb (source s2)');
    expect(assembleCatalog(input(previous, { listings: [ok('s1')], visited: [] })).problems).toEqual([]);
  });

  it('keeps the API cache it is given, and is deterministic', () => {
    const previous = previousCatalog();
    const api = { '/orgs/org/repos?page=1': { etag: 'W/"1"', next: null, repos: [] } };
    const make = () => assembleCatalog(input(previous, { listings: [ok('s1')], visited: [{ url: 'https://github.com/org/a', sourceId: 's1', outcome: unchanged(previous, 'a') }], api }));
    expect(make().state.api).toEqual(api);
    expect(JSON.stringify(make())).toBe(JSON.stringify(make()));
  });
});
