/**
 * The nightly guard and command: nothing / push / pull request chosen by the rules, a dry run that touches
 * nothing, a push retried when the branch moved, a pull request opened through the GitHub API (a loopback
 * server), and an invalid crawl result never committed. Real git repositories with a bare "origin".
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FacilityStatusFile, RepositoriesFile, SCHEMA_VERSION, WorkflowsFile, type Repository, type Workflow } from '../../catalog/contract/index.js';
import { decide, type CatalogSnapshot } from '../../crawler/ci/guard.js';
import { runNightly } from '../../crawler/ci/nightly.js';
import { runProbe } from '../../crawler/probe/run.js';
import { freePort } from '../support/jupyterhub.js';
import { makeRepository, makeWorkflow } from '../support/records.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'ida-nightly-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const env = { PATH: process.env.PATH!, HOME: work, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t.invalid', '-c', 'init.defaultBranch=main', ...args], { cwd, env }).toString().trim();

const REPOS = { a: 'https://github.com/astro/lessons', b: 'https://github.com/particles/school' };
const SOURCE_OF: Record<string, string> = { [REPOS.a]: 'astro', [REPOS.b]: 'particles' };

function workflow(repo: string, n: number, title = `Lesson ${n}`): Workflow {
  return makeWorkflow({ id: `${SOURCE_OF[repo]}-lesson-${n}`, title, path: `lesson${n}.ipynb`, repository: { url: repo, provider: 'github', ref: 'main', commit: 'a'.repeat(40) } });
}

function repository(url: string, notebooks: number): Repository {
  return makeRepository({ url, source: SOURCE_OF[url]!, commit: 'a'.repeat(40), notebooks });
}

function writeCatalog(dir: string, workflows: Workflow[]): void {
  mkdirSync(dir, { recursive: true });
  const urls = [...new Set(workflows.map((w) => w.repository.url))].sort();
  const items = [...workflows].sort((x, y) => x.id.localeCompare(y.id));
  writeFileSync(path.join(dir, 'workflows.json'), JSON.stringify(WorkflowsFile.parse({ schemaVersion: SCHEMA_VERSION, kind: 'workflows', items }), null, 2) + '\n');
  const repositories = urls.map((url) => repository(url, workflows.filter((w) => w.repository.url === url).length));
  writeFileSync(path.join(dir, 'repositories.json'), JSON.stringify(RepositoriesFile.parse({ schemaVersion: SCHEMA_VERSION, kind: 'repositories', items: repositories }), null, 2) + '\n');
}

const eight = [1, 2, 3, 4].map((n) => workflow(REPOS.a, n)).concat([1, 2, 3, 4].map((n) => workflow(REPOS.b, n)));

function snapshot(workflows: Workflow[]): CatalogSnapshot {
  const urls = [...new Set(workflows.map((w) => w.repository.url))];
  return { workflows, repositories: urls.map((url) => repository(url, 1)), files: new Map([['workflows.json', JSON.stringify(workflows)]]) };
}

describe('nightly guard', () => {
  it('does nothing when no file changed', () => {
    expect(decide(snapshot(eight), snapshot(eight)).action).toBe('nothing');
  });

  it('pushes a small change and counts it per source', () => {
    const after = [...eight.slice(0, 7), workflow(REPOS.a, 9), { ...eight[0]!, title: 'Renamed' }].slice(1);
    const decision = decide(snapshot(eight), snapshot(after), undefined, new Date('2026-12-06T02:17:00Z'));
    expect(decision.action).toBe('push');
    expect(decision.sources).toEqual([
      { source: 'astro', before: 4, after: 5, added: 1, updated: 1, removed: 0, stale: 0 },
      { source: 'particles', before: 4, after: 3, added: 0, updated: 0, removed: 1, stale: 0 },
    ]);
    expect(decision.message.split('\n')[0]).toBe('catalog: nightly crawl 2026-12-06');
    expect(decision.message).toContain('particles: +0 ~0 -1 (4 → 3)');
  });

  it('asks for a pull request when more than a quarter of the workflows go, or a source goes empty', () => {
    const third = decide(snapshot(eight), snapshot([...eight.slice(0, 4), eight[4]!, eight[5]!]));
    expect(third.action).toBe('push'); // 2 of 8 = 25%: not more than a quarter
    const many = decide(snapshot(eight), snapshot(eight.slice(0, 5)));
    expect(many.action).toBe('pull-request');
    expect(many.reasons[0]).toMatch(/^3 of 8 workflows removed \(38%\)/);
    const vanished = decide(snapshot([...eight, workflow(REPOS.b, 5)].slice(0, 9)), snapshot([...eight.slice(0, 4), workflow(REPOS.a, 5)]), { maxRemovedFraction: 0.9, sourceGoneEmpty: true });
    expect(vanished.action).toBe('pull-request');
    expect(vanished.reasons).toEqual(['source particles had 5 workflows and now has none']);
  });

  it('counts stale records (a failing source keeps them)', () => {
    const stale = eight.map((w) => (w.repository.url === REPOS.b ? { ...w, staleSince: '2026-12-05T02:17:00Z' } : w));
    const decision = decide(snapshot(eight), snapshot(stale));
    expect(decision.action).toBe('push');
    expect(decision.sources.find((s) => s.source === 'particles')).toMatchObject({ stale: 4, updated: 4, removed: 0 });
  });
});

/** A checkout with a committed catalog and a bare origin. */
function makeCheckout(name: string): { repo: string; origin: string } {
  const origin = path.join(work, `${name}-origin.git`);
  const repo = path.join(work, name);
  git(work, 'init', '-q', '--bare', origin);
  git(work, 'clone', '-q', origin, repo);
  writeCatalog(path.join(repo, 'catalog'), eight);
  writeFileSync(path.join(repo, 'facilities.yaml'), '[]\n');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'catalog');
  git(repo, 'push', '-q', 'origin', 'HEAD:main');
  return { repo, origin };
}

const quiet = { log: () => {} };

describe('npm run nightly', () => {
  it('dry run: crawls into a copy and says what it would do, changing nothing', async () => {
    const { repo, origin } = makeCheckout('dry');
    const lines: string[] = [];
    const result = await runNightly({ repo, catalog: 'catalog', facilities: 'facilities.yaml', dryRun: true, log: (line) => lines.push(line), crawl: async (out) => (writeCatalog(out, eight.slice(0, 7)), 0) });
    expect(result.decision?.action).toBe('push');
    expect(lines).toContain('nightly: would commit to main and push, because:');
    expect(readFileSync(path.join(repo, 'catalog', 'workflows.json'), 'utf8')).toContain('particles-lesson-4');
    expect(git(repo, 'status', '--porcelain')).toBe('');
    expect(git(origin, 'rev-list', '--count', 'main')).toBe('1');
  });

  it('pushes a small change, rebasing when the branch moved meanwhile', async () => {
    const { repo, origin } = makeCheckout('push');
    const other = path.join(work, 'push-other');
    git(work, 'clone', '-q', origin, other);
    writeFileSync(path.join(other, 'README.md'), 'moved meanwhile\n');
    git(other, 'add', '-A');
    git(other, 'commit', '-q', '-m', 'someone else');
    git(other, 'push', '-q', 'origin', 'HEAD:main');
    const lines: string[] = [];
    const result = await runNightly({ repo, catalog: 'catalog', facilities: 'facilities.yaml', dryRun: false, log: (line) => lines.push(line), crawl: async (out) => (writeCatalog(out, eight.slice(1)), 0) });
    expect(result).toMatchObject({ exitCode: 0, decision: { action: 'push' } });
    expect(lines.some((line) => line.startsWith('nightly: push rejected (attempt 1)'))).toBe(true);
    expect(git(origin, 'log', '--format=%s', 'main')).toBe(['catalog: nightly crawl ' + new Date().toISOString().slice(0, 10), 'someone else', 'catalog'].join('\n'));
    expect(git(origin, 'show', 'main:catalog/workflows.json')).not.toContain('astro-lesson-1');
  });

  it('opens a pull request through the GitHub API for a large change, never pushing main', async () => {
    const { repo, origin } = makeCheckout('pr');
    const requests: { method: string; url: string; body: Record<string, string>; auth: string }[] = [];
    const server: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        requests.push({ method: req.method!, url: req.url!, body: JSON.parse(body || '{}'), auth: req.headers.authorization ?? '' });
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ number: 7, html_url: 'https://github.com/o/r/pull/7' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const result = await runNightly({
        repo, catalog: 'catalog', facilities: 'facilities.yaml', dryRun: false, ...quiet,
        now: new Date('2026-12-06T02:17:00Z'),
        github: { apiUrl, token: 'test-token', repository: 'o/r' },
        crawl: async (out) => (writeCatalog(out, eight.slice(0, 4)), 0),
      });
      expect(result).toMatchObject({ exitCode: 0, decision: { action: 'pull-request' }, pullRequest: 'https://github.com/o/r/pull/7' });
      expect(requests).toHaveLength(1);
      expect(requests[0]).toMatchObject({ method: 'POST', url: '/repos/o/r/pulls', auth: 'token test-token', body: { head: 'nightly/catalog-2026-12-06', base: 'main' } });
      expect(requests[0]!.body.body).toContain('source particles had 4 workflows and now has none');
      expect(git(origin, 'rev-list', '--count', 'main')).toBe('1');
      expect(git(origin, 'show', 'nightly/catalog-2026-12-06:catalog/workflows.json')).not.toContain('particles-lesson-1');
    } finally {
      server.close();
    }
  });

  it('commits nothing when the crawl leaves an invalid catalog', async () => {
    const { repo, origin } = makeCheckout('invalid');
    const lines: string[] = [];
    const result = await runNightly({
      repo, catalog: 'catalog', facilities: 'facilities.yaml', dryRun: false, log: (line) => lines.push(line),
      crawl: async (out) => (writeFileSync(path.join(out, 'workflows.json'), '{"schemaVersion": 1, "kind": "workflows", "items": [{"id": "Bad Id"}]}'), 0),
    });
    expect(result).toEqual({ exitCode: 1, decision: null });
    expect(lines).toContain('nightly: the catalog or the facilities do not validate: nothing is committed');
    expect(git(origin, 'rev-list', '--count', 'main')).toBe('1');
  });
});

describe('nightly facility probe', () => {
  it('runs the probe after the crawl and commits facility-status.json with the catalog; a probe that reaches nothing changes nothing', async () => {
    const { repo, origin } = makeCheckout('probe');
    const hub: Server = createServer((req, res) => {
      res.writeHead(req.url === '/hub/api' ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ version: '4.1.5' }));
    });
    await new Promise<void>((resolve) => hub.listen(0, '127.0.0.1', resolve));
    const hubUrl = `http://127.0.0.1:${(hub.address() as AddressInfo).port}/`;
    const closed = `http://127.0.0.1:${await freePort()}/`;
    const facility = (id: string, url: string) =>
      `- {id: ${id}, name: ${id}, url: "${url}", plainHttp: true, privateNetwork: true, type: jupyterhub, interfaces: [lab], defaultInterface: lab, access: public}\n`;
    writeFileSync(path.join(repo, 'facilities.yaml'), facility('local-hub', hubUrl) + facility('gone-hub', closed));
    git(repo, 'commit', '-q', '-am', 'facilities');
    git(repo, 'push', '-q', 'origin', 'HEAD:main');
    const limits = { timeoutMs: 1_000, maxBytes: 65_536, maxRedirects: 3 };
    const probe = async (out: string) => (await runProbe({ facilities: path.join(repo, 'facilities.yaml'), out, limits, log: () => {} })).exitCode;
    const unchanged = async (out: string) => (writeCatalog(out, eight), 0);
    try {
      const lines: string[] = [];
      const first = await runNightly({ repo, catalog: 'catalog', facilities: 'facilities.yaml', dryRun: false, log: (line) => lines.push(line), crawl: unchanged, probe });
      expect(lines).toContain('nightly: facility probe');
      // Nothing crawled changed: the status file alone is the night's change, and it is committed.
      expect(first).toMatchObject({ exitCode: 0, decision: { action: 'push', changedFiles: ['facility-status.json'] } });
      const committed = FacilityStatusFile.parse(JSON.parse(git(origin, 'show', 'main:catalog/facility-status.json')));
      expect(committed.items.map((item) => [item.id, item.state, item.version ?? null])).toEqual([
        ['gone-hub', 'down', null],
        ['local-hub', 'up', '4.1.5'],
      ]);
    } finally {
      hub.closeAllConnections();
      await new Promise((resolve) => hub.close(resolve));
    }
    // The next night nothing answers (this runner offline): the probe writes nothing, so nothing is committed.
    const lines: string[] = [];
    const second = await runNightly({ repo, catalog: 'catalog', facilities: 'facilities.yaml', dryRun: false, log: (line) => lines.push(line), crawl: unchanged, probe });
    expect(second.decision?.action).toBe('nothing');
    expect(lines).toContain('nightly: the facility probe exited 1: facility-status.json keeps its last observations');
    expect(git(origin, 'rev-list', '--count', 'main')).toBe('3');
  });

  it('a probe that throws never stops the night\'s catalog', async () => {
    const { repo } = makeCheckout('probe-throws');
    const lines: string[] = [];
    const result = await runNightly({ repo, catalog: 'catalog', facilities: 'facilities.yaml', dryRun: true, log: (line) => lines.push(line), crawl: async (out) => (writeCatalog(out, eight.slice(1)), 0), probe: async () => { throw new Error('boom'); } });
    expect(result.decision?.action).toBe('push');
    expect(lines).toContain('nightly: the facility probe failed: boom');
  });
});

describe('nightly past one runner', () => {
  it('plans one runner up to 500 repositories, then a shard per 500, at most 8', async () => {
    const { shardPlan } = await import('../../crawler/ci/nightly.js');
    expect(shardPlan(0)).toEqual([1]);
    expect(shardPlan(500)).toEqual([1]);
    expect(shardPlan(501)).toEqual([1, 2]);
    expect(shardPlan(1_600)).toEqual([1, 2, 3, 4]);
    expect(shardPlan(100_000)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('commits nothing when the crawl (or the merge of parts) stops before writing, exit 2', async () => {
    const { repo, origin } = makeCheckout('stopped');
    const lines: string[] = [];
    const result = await runNightly({ repo, catalog: 'catalog', facilities: 'facilities.yaml', dryRun: false, log: (line) => lines.push(line), crawl: async () => 2 });
    expect(result).toEqual({ exitCode: 2, decision: null });
    expect(lines).toContain('nightly: the crawl stopped before writing anything (see above): nothing is committed');
    expect(git(origin, 'rev-list', '--count', 'main')).toBe('1');
  });
});

describe('nightly over a broken committed catalog', () => {
  it('stops before crawling, naming the file and the position, and commits nothing', async () => {
    const { repo, origin } = makeCheckout('broken');
    writeFileSync(path.join(repo, 'catalog', 'workflows.json'), '{"schemaVersion": 1, "kind": "workflows", "items": [');
    let crawled = false;
    await expect(runNightly({ repo, catalog: 'catalog', facilities: 'facilities.yaml', dryRun: false, ...quiet, crawl: async () => ((crawled = true), 0) })).rejects.toThrow(/workflows\.json:1:\d+: .*\n.*workflows\.json is not a valid workflows\.json/);
    expect(crawled).toBe(false);
    expect(git(origin, 'rev-list', '--count', 'main')).toBe('1');
  });
});
