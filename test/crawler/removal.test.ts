/**
 * Issue #21, removal needs evidence: an incomplete GitHub search listing is a failed listing (records
 * kept, stale), and a repository that answers 404 once is kept (stale) until the next crawl finds it
 * missing too.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RepositoriesFile, WorkflowsFile } from '../../catalog/contract/index.js';
import { validateCatalog } from '../../catalog/validate/index.js';
import { GITHUB_REPOS, makeWorld, readCatalog, type World } from './world.js';

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

const repositories = (out: string) => new Map(RepositoriesFile.parse(readCatalog(out, 'repositories.json')).items.map((r) => [r.url, r]));
const workflowUrls = (out: string) => WorkflowsFile.parse(readCatalog(out, 'workflows.json')).items.map((w) => w.repository.url);
const day = (n: number) => ({ now: () => new Date(`2026-05-0${n}T00:00:00Z`) });

describe('removal needs evidence', () => {
  it('a topic search answering incomplete_results: true fails the listing; the records stay, stale', async () => {
    world = await makeWorld({}, 'sources:\n  - github: {topic: astronomy}\n');
    await world.run(day(1));
    expect([...repositories(world.out).keys()]).toEqual(['https://github.com/astro-org/alpha']);
    world.server.options.searchIncomplete = true;
    const result = await world.run(day(2));
    expect(result.summaries[0]).toMatchObject({ status: 'stale', removed: 0, stale: 1 });
    expect(result.summaries[0]!.errors.join('\n')).toMatch(/incomplete_results: true/);
    expect(repositories(world.out).get('https://github.com/astro-org/alpha')?.staleSince).toBe('2026-05-02T00:00:00Z');
    expect(workflowUrls(world.out)).toContain('https://github.com/astro-org/alpha');
    world.server.options.searchIncomplete = false;
    const healed = await world.run(day(3));
    expect(healed.summaries[0]).toMatchObject({ status: 'ok', unchanged: 1 });
    expect(repositories(world.out).get('https://github.com/astro-org/alpha')?.staleSince).toBeUndefined();
  });

  it('a named repository answering 404 once is kept, stale; back the next day it is fresh again', async () => {
    world = await makeWorld();
    await world.run(day(1));
    const solo = GITHUB_REPOS.find((repo) => repo.name === 'one')!;
    world.server.remove('solo/one');
    const first = await world.run(day(2));
    const summary = first.summaries.find((s) => s.id === 'github-repo-solo-one')!;
    expect(summary).toMatchObject({ status: 'partial', removed: 0, stale: 1 });
    expect(summary.errors.join('\n')).toMatch(/solo\/one not found on GitHub[\s\S]*kept \(stale\) and removed if the next crawl finds it missing too/);
    expect(repositories(world.out).get('https://github.com/solo/one')?.staleSince).toBe('2026-05-02T00:00:00Z');
    expect(workflowUrls(world.out)).toContain('https://github.com/solo/one');
    expect((await validateCatalog(world.out)).problems).toEqual([]);
    world.server.put(solo);
    const back = await world.run(day(3));
    expect(back.summaries.find((s) => s.id === 'github-repo-solo-one')).toMatchObject({ status: 'ok', removed: 0, stale: 0 });
    expect(repositories(world.out).get('https://github.com/solo/one')?.staleSince).toBeUndefined();
    expect(readCatalog<{ missingSince: object }>(world.out, 'state.json').missingSince).toEqual({});
  });

  it('a 404 on two consecutive crawls removes the repository', async () => {
    world = await makeWorld();
    await world.run(day(1));
    world.server.remove('solo/one');
    await world.run(day(2));
    const second = await world.run(day(3));
    const summary = second.summaries.find((s) => s.id === 'github-repo-solo-one')!;
    expect(summary).toMatchObject({ removed: 1, stale: 0 });
    expect(summary.errors.join('\n')).toMatch(/as it was on the crawl of 2026-05-02T00:00:00Z: its records are removed/);
    expect(repositories(world.out).has('https://github.com/solo/one')).toBe(false);
    expect(workflowUrls(world.out)).not.toContain('https://github.com/solo/one');
    expect((await validateCatalog(world.out)).problems).toEqual([]);
  });
});
