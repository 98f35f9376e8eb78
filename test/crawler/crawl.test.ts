import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RepositoriesFile, WorkflowsFile, type Repository, type Workflow } from '../../catalog/contract/index.js';
import { validateCatalog } from '../../catalog/validate/index.js';
import { commitFiles, emptyRepository, notebook } from '../support/github-server/git.js';
import { faultEvery } from '../support/github-server/index.js';
import { makeWorld, readCatalog, snapshot, type World } from './world.js';

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

const repositories = (out: string) => RepositoriesFile.parse(readCatalog(out, 'repositories.json')).items;
const workflows = (out: string) => WorkflowsFile.parse(readCatalog(out, 'workflows.json')).items;
const byUrl = (items: Repository[]) => new Map(items.map((r) => [r.url, r]));
const summaryOf = (result: Awaited<ReturnType<World['run']>>, id: string) => result.summaries.find((s) => s.id === id)!;

async function expectValidCatalog(out: string) {
  const { problems } = await validateCatalog(out);
  expect(problems.map((p) => p.text)).toEqual([]);
}

describe('crawl', () => {
  it('first crawl: harvests every source with canonical URLs, forge fields, previews, a valid catalog', async () => {
    world = await makeWorld();
    const result = await world.run();
    expect(result.problems).toEqual([]);
    expect(result.exitCode).toBe(0);
    // one clone per repository; only the selected blobs (not data/huge.bin) are fetched
    expect(result.git.clones).toBe(4);
    expect(result.git.blobsFetched).toBeGreaterThanOrEqual(4);
    const repos = byUrl(repositories(world.out));
    expect([...repos.keys()]).toEqual([
      'https://git.example.org/group/project',
      'https://github.com/astro-org/alpha',
      'https://github.com/astro-org/beta',
      'https://github.com/solo/one',
    ]);
    const alpha = repos.get('https://github.com/astro-org/alpha')!;
    expect(alpha).toMatchObject({ provider: 'github', fullName: 'astro-org/alpha', source: 'github-org-astro-org', stars: 5, defaultBranch: 'main', archived: false, fork: false, ref: 'main' });
    expect(alpha.topics).toEqual(expect.arrayContaining(['astronomy', 'vo']));
    expect(alpha.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(alpha.committedAt).toBe('2025-01-01T00:00:00Z');
    const project = repos.get('https://git.example.org/group/project')!;
    expect(project).toMatchObject({ provider: 'git', source: 'example-host', stars: null, defaultBranch: null, pushedAt: null, archived: null, fork: null });
    // forks are skipped unless asked for
    expect(repos.has('https://github.com/astro-org/old-fork')).toBe(false);
    const flows = workflows(world.out);
    expect(flows.map((w) => `${w.repository.url} ${w.path}`)).toEqual(
      expect.arrayContaining(['https://github.com/astro-org/alpha analysis.ipynb', 'https://github.com/astro-org/beta nb/beta.ipynb', 'https://git.example.org/group/project demo.ipynb']),
    );
    for (const flow of flows) expect(existsSync(path.join(world.out, 'previews', `${flow.id}.json`))).toBe(true);
    expect(readFileSync(path.join(world.out, 'workflows.json'), 'utf8')).toMatch(/\n}\n$/);
    await expectValidCatalog(world.out);
    expect(summaryOf(result, 'github-org-astro-org')).toMatchObject({ status: 'ok', repositories: 2, changed: 2 });
    // leaves no temporary files or staging folders behind
    expect(readdirSync(world.out).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('unchanged re-crawl: every file byte-identical, only 304s from the API, no clone', async () => {
    world = await makeWorld();
    await world.run();
    const before = snapshot(world.out);
    world.server.resetStats();
    const result = await world.run({ now: () => new Date('2026-02-01T00:00:00Z') });
    expect(snapshot(world.out)).toEqual(before);
    expect(world.server.stats.counted).toBe(0);
    expect(world.server.stats.notModified).toBe(2); // the org listing and the single repository
    for (const summary of result.summaries) expect(summary.changed).toBe(0);
    expect(result.git).toEqual({ clones: 0, blobsFetched: 0 });
    expect(result.summaries.reduce((n, s) => n + s.unchanged, 0)).toBe(4);
  });

  it('a changed repository is re-harvested; the others are reused', async () => {
    world = await makeWorld();
    await world.run();
    const first = byUrl(repositories(world.out));
    const commit = commitFiles(path.join(world.mirrors, 'astro-org', 'beta'), { 'nb/second.ipynb': notebook('Second look') }, 'more', '2025-03-01T00:00:00Z');
    world.server.put({ owner: 'astro-org', name: 'beta', description: 'Beta analysis', stars: 2, pushedAt: '2025-03-01T00:00:00Z' });
    const result = await world.run();
    const second = byUrl(repositories(world.out));
    expect(second.get('https://github.com/astro-org/beta')).toMatchObject({ commit, stars: 2, committedAt: '2025-03-01T00:00:00Z' });
    expect(second.get('https://github.com/astro-org/alpha')).toEqual(first.get('https://github.com/astro-org/alpha'));
    expect(workflows(world.out).some((w) => w.path === 'nb/second.ipynb' && w.repository.commit === commit)).toBe(true);
    expect(summaryOf(result, 'github-org-astro-org')).toMatchObject({ changed: 1, unchanged: 1 });
    await expectValidCatalog(world.out);
  });

  it('a deleted repository and an emptied one are kept (stale) once, then lose their records, previews and media', async () => {
    world = await makeWorld();
    await world.run();
    const betaIds = workflows(world.out).filter((w) => w.repository.url.endsWith('/beta')).map((w) => w.id);
    expect(betaIds.length).toBeGreaterThan(0);
    world.server.remove('astro-org/beta');
    rmSync(path.join(world.mirrors, 'astro-org', 'beta'), { recursive: true });
    rmSync(path.join(world.daemonBase, 'group', 'project'), { recursive: true });
    emptyRepository(path.join(world.daemonBase, 'group', 'project'));
    const first = await world.run({ now: () => new Date('2026-04-01T00:00:00Z') });
    const kept = byUrl(repositories(world.out));
    expect(kept.get('https://github.com/astro-org/beta')?.staleSince).toBe('2026-04-01T00:00:00Z');
    expect(kept.get('https://git.example.org/group/project')?.staleSince).toBe('2026-04-01T00:00:00Z');
    for (const id of betaIds) expect(existsSync(path.join(world.out, 'previews', `${id}.json`))).toBe(true);
    expect(summaryOf(first, 'github-org-astro-org')).toMatchObject({ status: 'partial', removed: 0, stale: 1 });
    expect(summaryOf(first, 'github-org-astro-org').errors.join('\n')).toMatch(/astro-org\/beta is no longer listed .* kept \(stale\) and removed if the next crawl finds it missing too/);
    expect(summaryOf(first, 'example-host').errors.join('\n')).toMatch(/group\/project is empty: its records are kept/);
    await expectValidCatalog(world.out);
    const result = await world.run();
    const repos = byUrl(repositories(world.out));
    expect(repos.has('https://github.com/astro-org/beta')).toBe(false);
    expect(repos.has('https://git.example.org/group/project')).toBe(false);
    expect(workflows(world.out).some((w) => w.repository.url.endsWith('/beta') || w.repository.url.includes('example.org'))).toBe(false);
    for (const id of betaIds) expect(existsSync(path.join(world.out, 'previews', `${id}.json`))).toBe(false);
    expect(summaryOf(result, 'github-org-astro-org').removed).toBe(1);
    expect(summaryOf(result, 'example-host').removed).toBe(1);
    await expectValidCatalog(world.out);
  });

  it('a failing source keeps its previous records, marked stale since the first failure; exit 0, or 1 with --strict', async () => {
    world = await makeWorld();
    await world.run();
    const good = workflows(world.out).filter((w) => w.repository.url.includes('astro-org'));
    await world.server.close();
    // The API is gone (connection refused) and so is one git host.
    await world.daemon.close();
    const failing = await world.run({ now: () => new Date('2026-03-01T00:00:00Z'), github: { retryAfterBaseValue: 1, retries: 1 } });
    expect(failing.exitCode).toBe(0);
    expect(summaryOf(failing, 'github-org-astro-org').status).toBe('stale');
    expect(summaryOf(failing, 'example-host').status).toBe('partial');
    const repos = byUrl(repositories(world.out));
    expect(repos.get('https://github.com/astro-org/alpha')?.staleSince).toBe('2026-03-01T00:00:00Z');
    expect(repos.get('https://git.example.org/group/project')?.staleSince).toBe('2026-03-01T00:00:00Z');
    // solo/one is a named repository: readable with git alone while the API is down
    expect(repos.get('https://github.com/solo/one')?.staleSince).toBeUndefined();
    const stale = workflows(world.out).filter((w) => w.repository.url.includes('astro-org'));
    expect(stale.map(({ staleSince: _s, ...w }) => w)).toEqual(good);
    expect(stale.every((w) => w.staleSince === '2026-03-01T00:00:00Z')).toBe(true);
    await expectValidCatalog(world.out);
    const strict = await world.run({ now: () => new Date('2026-03-02T00:00:00Z'), strict: true, github: { retryAfterBaseValue: 1, retries: 0 } });
    expect(strict.exitCode).toBe(1);
    // still stale since the first failure, not the latest
    expect(byUrl(repositories(world.out)).get('https://github.com/astro-org/alpha')?.staleSince).toBe('2026-03-01T00:00:00Z');
  });

  it('--no-api reads GitHub sources with git alone: API-only fields null, org listed from the local mirror', async () => {
    world = await makeWorld();
    const result = await world.run({ noApi: true });
    expect(world.server.stats.requests).toBe(0);
    expect(result.exitCode).toBe(0);
    const repos = byUrl(repositories(world.out));
    // a local mirror lists every repository folder; forks cannot be told apart without the API
    expect(repos.get('https://github.com/astro-org/alpha')).toMatchObject({ stars: null, defaultBranch: null, pushedAt: null, archived: null, fork: null, ref: 'main' });
    expect(repos.has('https://github.com/solo/one')).toBe(true);
  });

  it('waits out the primary rate limit (x-ratelimit-reset) and secondary limits (retry-after)', async () => {
    let secondary = 0;
    // One counted request per 4-second window: of the org listing and solo/one, the second to arrive
    // meets the primary limit and waits for x-ratelimit-reset; solo/one first meets a secondary limit.
    world = await makeWorld({ rateLimit: 1, resetSeconds: 4, fault: (p) => (p === '/repos/solo/one' && secondary++ === 0 ? 'secondary' : null) });
    const started = Date.now();
    const result = await world.run({ github: { retryAfterBaseValue: 1000, maxWaitSeconds: 10 } });
    expect(result.exitCode).toBe(0);
    expect(result.summaries.every((s) => s.status === 'ok')).toBe(true);
    expect(world.server.stats.rateLimitResponses).toBeGreaterThan(0);
    expect(world.server.stats.secondaryLimitResponses).toBe(1);
    expect(result.api!.rateLimitWaits).toBeGreaterThan(0);
    expect(Date.now() - started).toBeGreaterThan(900);
    expect(repositories(world.out)).toHaveLength(4);
  });

  it('an exhausted rate limit with a far reset fails the source (stale), it does not hang', async () => {
    world = await makeWorld({ rateLimit: 0, resetSeconds: 3600 });
    const result = await world.run({ github: { retryAfterBaseValue: 1, maxWaitSeconds: 60 } });
    expect(summaryOf(result, 'github-org-astro-org').status).toBe('stale');
    expect(summaryOf(result, 'github-org-astro-org').errors.join(' ')).toMatch(/rate limit/i);
  });

  it('with injected faults (5xx, 429, secondary limits, resets) the catalog equals a fault-free crawl', async () => {
    world = await makeWorld();
    await world.run();
    const clean = snapshot(world.out);
    await world.close();
    world = await makeWorld({ fault: faultEvery(0.35, ['500', '502', '429', 'secondary', 'reset'], 7), retryAfter: 1 });
    const result = await world.run({ github: { retryAfterBaseValue: 5, retries: 8 } });
    expect(world.server.stats.faults).toBeGreaterThan(0);
    expect(result.summaries.every((s) => s.status === 'ok')).toBe(true);
    expect(snapshot(world.out)).toEqual(clean);
  });

  it('include/exclude globs narrow the notebooks of a source', async () => {
    world = await makeWorld({}, 'sources:\n  - github: {repo: solo/one}\n    exclude: ["one.ipynb"]\n  - github: {repo: astro-org/alpha}\n    include: ["*.ipynb"]\n');
    await world.run();
    const paths = workflows(world.out).map((w: Workflow) => `${w.repository.url} ${w.path}`);
    expect(paths).toEqual(['https://github.com/astro-org/alpha analysis.ipynb']);
  });

  it('bad sources.yaml: line-precise problems, exit 2, nothing written', async () => {
    world = await makeWorld({}, 'sources:\n  - github: {org: astro-org}\n  - github: {repo: not a repo}\n');
    const result = await world.run();
    expect(result.exitCode).toBe(2);
    expect(result.problems.join('\n')).toMatch(/sources\.yaml:3:\d+: .*owner\/name/);
    expect(existsSync(path.join(world.out, 'workflows.json'))).toBe(false);
    writeFileSync(path.join(world.root, 'sources.yaml'), 'sources: []\n');
    expect((await world.run()).exitCode).toBe(2);
  });
});
