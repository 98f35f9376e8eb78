/**
 * Issue #21, floods: a repository cannot flood the catalog (notebooks per repository capped, settable per
 * source) and a remote cannot hold a crawl (clone size and wall time capped, slow transfers aborted).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_NOTEBOOKS, RepositoriesFile, WorkflowsFile } from '../../catalog/contract/index.js';
import { loadSources } from '../../crawler/crawl/sources.js';
import { capNotebooks } from '../../crawler/crawl/visit.js';
import { Checkout, lsRemote, type GitOptions } from '../../crawler/git/remote.js';
import { commitFiles, notebook } from '../support/github-server/git.js';
import { startSmartHttpServer, type SmartHttpServer } from '../support/github-server/smart-http.js';
import { makeWorld, readCatalog, type World } from './world.js';

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

describe('notebooks per repository are capped', () => {
  it('keeps the first maxNotebooks by path, names the rest in the summary and on the repository, the same on every crawl', async () => {
    world = await makeWorld({}, 'sources:\n  - github: {repo: solo/one}\n    maxNotebooks: 3\n');
    const many = Object.fromEntries(['e', 'b', 'g', 'a', 'f', 'd', 'c'].map((name) => [`nb/${name}.ipynb`, notebook(`Notebook ${name}`)]));
    commitFiles(path.join(world.mirrors, 'solo', 'one'), { ...many, 'one.ipynb': null });
    const result = await world.run();
    const paths = () => WorkflowsFile.parse(readCatalog(world!.out, 'workflows.json')).items.map((w) => w.path).sort();
    expect(paths()).toEqual(['nb/a.ipynb', 'nb/b.ipynb', 'nb/c.ipynb']);
    const warning = '7 notebooks, over the cap of 3 for source github-repo-solo-one: the first 3 by path are catalogued, 4 left out (nb/d.ipynb, nb/e.ipynb, nb/f.ipynb, nb/g.ipynb)';
    expect(result.summaries[0]).toMatchObject({ status: 'ok', workflows: 3 });
    expect(result.summaries[0]!.warnings).toEqual([expect.stringContaining(`https://github.com/solo/one: ${warning}`)]);
    expect(RepositoriesFile.parse(readCatalog(world.out, 'repositories.json')).items[0]!.warnings[0]).toContain(warning);
    await world.run({ force: true });
    expect(paths()).toEqual(['nb/a.ipynb', 'nb/b.ipynb', 'nb/c.ipynb']);
  });

  it('defaults to 1,000 and refuses a cap below 1 in sources.yaml, with its line', async () => {
    const paths = Array.from({ length: DEFAULT_MAX_NOTEBOOKS + 1 }, (_, i) => `n/${String(DEFAULT_MAX_NOTEBOOKS - i).padStart(5, '0')}.ipynb`);
    expect(DEFAULT_MAX_NOTEBOOKS).toBe(1000);
    expect(capNotebooks(paths, DEFAULT_MAX_NOTEBOOKS)).toEqual({ kept: 1000, leftOut: ['n/01000.ipynb'] });
    world = await makeWorld({}, 'sources:\n  - github: {repo: solo/one}\n    maxNotebooks: 0\n');
    const loaded = await loadSources(path.join(world.root, 'sources.yaml'));
    expect(loaded.problems.join('\n')).toMatch(/sources\.yaml:3:\d+: .*maxNotebooks/);
  });
});

describe('a remote cannot hold a crawl', () => {
  let root: string;
  let server: SmartHttpServer;
  const http = (extra: GitOptions = {}): GitOptions => ({ protocols: ['http'], ...extra });
  beforeAll(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'ida-floods-'));
    commitFiles(path.join(root, 'group', 'small'), { 'a.ipynb': notebook('A') });
    // Many tree entries, so even a blob-less clone transfers a few hundred kB.
    commitFiles(path.join(root, 'group', 'wide'), Object.fromEntries(Array.from({ length: 4000 }, (_, i) => [`d${i % 97}/${(i * 2654435761).toString(36)}-${i}.txt`, `${i}`])));
    server = await startSmartHttpServer(root, 'serve', { bytesPerSecond: 40_000 });
  });
  afterAll(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('a ref advertisement that trickles bytes is aborted as too slow (http.lowSpeedLimit)', async () => {
    server.mode = 'trickle-refs';
    const started = Date.now();
    await expect(lsRemote(`${server.url}group/small`, null, http({ lowSpeed: { bytesPerSecond: 1000, seconds: 1 } }))).rejects.toThrow(/too slow/i);
    expect(Date.now() - started).toBeLessThan(8_000);
  });

  it('a clone whose pack trickles in faster than the low-speed limit is killed at its wall time', async () => {
    server.mode = 'serve';
    const head = (await lsRemote(`${server.url}group/small`, null, http()))!;
    server.mode = 'trickle-pack';
    const started = Date.now();
    await expect(Checkout.clone(`${server.url}group/small`, head, http({ lowSpeed: { bytesPerSecond: 1, seconds: 600 }, wallMs: 2_000 }))).rejects.toThrow(/took longer than 2 s/);
    expect(Date.now() - started).toBeLessThan(6_000);
  });

  it('a clone larger than maxCloneBytes is aborted', async () => {
    server.mode = 'serve';
    const head = (await lsRemote(`${server.url}group/wide`, null, http()))!;
    server.mode = 'slow-pack';
    await expect(Checkout.clone(`${server.url}group/wide`, head, http({ maxCloneBytes: 20_000 }))).rejects.toThrow(/more than the 20000-byte cap/);
  });

  it('a crawl whose only repository trickles finishes in seconds, the repository failed', async () => {
    server.mode = 'trickle-pack';
    world = await makeWorld({}, 'sources:\n  - git: https://slow.example.org/group/small\n');
    const options = world.options();
    const started = Date.now();
    const result = await world.run({
      git: { ...options.git, rewrites: [{ base: server.url, insteadOf: 'https://slow.example.org/' }], protocols: ['https', 'http'], lowSpeed: { bytesPerSecond: 1, seconds: 600 }, wallMs: 3_000 },
    });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(result.summaries[0]).toMatchObject({ status: 'partial' });
    expect(result.summaries[0]!.errors.join('\n')).toMatch(/took longer than 3 s/);
  });
});
