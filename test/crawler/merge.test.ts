/**
 * Issue #19, past one runner: `crawl --shard I/N` into copies of the catalog, then `ida-catalog merge`,
 * writes exactly the catalog one crawl writes, on a first crawl and on incremental re-crawls (a changed
 * repository, one gone missing then removed, a new one), with a repository two sources list.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../crawler/cli/index.js';
import { mergeShards } from '../../crawler/crawl/merge-files.js';
import { SHARD_FILE, type ShardMarker } from '../../crawler/crawl/shard.js';
import { commitFiles, notebook } from '../support/github-server/git.js';
import { makeWorld, readCatalog, snapshot, SOURCES_YAML, type World } from './world.js';

// astro-org/beta is listed by the org and by itself: the org, first in the file, claims it.
const SOURCES = `${SOURCES_YAML}  - github: {repo: astro-org/beta}\n`;

let world: World | null = null;
afterEach(async () => {
  vi.restoreAllMocks();
  await world?.close();
  world = null;
});

const day = (n: number) => ({ now: () => new Date(`2026-05-0${n}T00:00:00Z`) });

/** Every shard of `count` crawled into a copy of `from`, then merged into `into`; returns the part folders. */
async function shardedCrawl(w: World, count: number, from: string, into: string, n: number): Promise<string[]> {
  const parts: string[] = [];
  for (let index = 1; index <= count; index += 1) {
    const part = path.join(w.root, `part-${count}-${index}`);
    rmSync(part, { recursive: true, force: true });
    if (existsSync(from)) cpSync(from, part, { recursive: true });
    else mkdirSync(part);
    const result = await w.run({ out: part, shard: { index, count }, ...day(n) });
    expect(result.problems).toEqual([]);
    parts.push(part);
  }
  const merged = await mergeShards(parts, into);
  expect(merged.problems).toEqual([]);
  expect(merged.exitCode).toBe(0);
  return parts;
}

function expectSameCatalog(merged: string, single: string) {
  const [a, b] = [snapshot(merged), snapshot(single)];
  expect(Object.keys(a)).toEqual(Object.keys(b));
  for (const file of Object.keys(b)) expect({ file, bytes: a[file] }).toEqual({ file, bytes: b[file] });
}

async function runCli(args: string[]): Promise<{ code: number; output: string }> {
  const lines: string[] = [];
  const capture = (...parts: unknown[]) => lines.push(parts.map(String).join(' '));
  vi.spyOn(console, 'log').mockImplementation(capture);
  vi.spyOn(console, 'error').mockImplementation(capture);
  const code = await main(args);
  vi.restoreAllMocks();
  return { code, output: lines.join('\n') };
}

describe('merge(shards) ≡ single crawl', () => {
  it('byte for byte with 2 and 3 shards, on a first crawl and on incremental re-crawls', async () => {
    world = await makeWorld({}, SOURCES);
    const w = world;
    const merged = { 2: path.join(w.root, 'merged-2'), 3: path.join(w.root, 'merged-3') };

    // Day 1: a first crawl.
    const single = await w.run(day(1));
    expect(single.problems).toEqual([]);
    for (const count of [2, 3] as const) {
      const parts = await shardedCrawl(w, count, merged[count], merged[count], 1);
      expectSameCatalog(merged[count], w.out);
      // Each part holds its own repositories only and says which part it is.
      const marker = readCatalog<ShardMarker>(parts[0]!, SHARD_FILE);
      expect(marker).toMatchObject({ index: 1, count, only: [] });
      expect(existsSync(path.join(merged[count], SHARD_FILE))).toBe(false);
    }
    const repos = readCatalog<{ items: { url: string; source: string }[] }>(w.out, 'repositories.json').items;
    expect(repos.map((r) => r.url)).toEqual([
      'https://git.example.org/group/project',
      'https://github.com/astro-org/alpha',
      'https://github.com/astro-org/beta',
      'https://github.com/solo/one',
    ]);
    expect(repos.find((r) => r.url.endsWith('/beta'))!.source).toBe('github-org-astro-org');
    // Both shards of 2 did work (the test is not trivially one shard).
    expect(readCatalog<{ items: unknown[] }>(path.join(w.root, 'part-2-1'), 'repositories.json').items.length).toBeGreaterThan(0);
    expect(readCatalog<{ items: unknown[] }>(path.join(w.root, 'part-2-2'), 'repositories.json').items.length).toBeGreaterThan(0);

    // Day 2: alpha changes, solo/one goes missing (kept, stale), gamma appears in the org.
    commitFiles(path.join(w.mirrors, 'astro-org', 'alpha'), { 'second.ipynb': notebook('Alpha, part two') });
    w.server.put({ ...w.server.repos.get('astro-org/alpha')!, pushedAt: '2026-05-01T12:00:00Z' });
    const solo = w.server.repos.get('solo/one')!;
    w.server.remove('solo/one');
    commitFiles(path.join(w.mirrors, 'astro-org', 'gamma'), { 'g.ipynb': notebook('Gamma') });
    w.server.put({ owner: 'astro-org', name: 'gamma', description: 'Gamma' });
    const second = await w.run(day(2));
    expect(second.summaries.find((s) => s.id === 'github-repo-solo-one')).toMatchObject({ stale: 1 });
    for (const count of [2, 3] as const) {
      await shardedCrawl(w, count, merged[count], merged[count], 2);
      expectSameCatalog(merged[count], w.out);
    }
    const after2 = readCatalog<{ items: { url: string; staleSince?: string }[] }>(w.out, 'repositories.json').items;
    expect(after2.find((r) => r.url.endsWith('/solo/one'))?.staleSince).toBe('2026-05-02T00:00:00Z');
    expect(after2.map((r) => r.url)).toContain('https://github.com/astro-org/gamma');

    // Day 3: solo/one is missing again (removed, its previews go); the rest unchanged.
    await w.run(day(3));
    for (const count of [2, 3] as const) {
      await shardedCrawl(w, count, merged[count], merged[count], 3);
      expectSameCatalog(merged[count], w.out);
    }
    expect(readCatalog<{ items: { url: string }[] }>(w.out, 'repositories.json').items.map((r) => r.url)).not.toContain('https://github.com/solo/one');
    w.server.put(solo);
  }, 120_000);
});

describe('ida-catalog merge refuses parts that are not the shards of one crawl', () => {
  it('names a missing shard, an overlapping one, another sources file, and a folder that is no part', async () => {
    world = await makeWorld({}, SOURCES);
    const w = world;
    const part = (name: string) => path.join(w.root, name);
    for (const index of [1, 2]) {
      mkdirSync(part(`p${index}`));
      await w.run({ out: part(`p${index}`), shard: { index, count: 2 } });
    }
    const out = part('out');

    let run = await runCli(['merge', part('p1'), '--out', out]);
    expect(run.code).toBe(2);
    expect(run.output).toMatch(/shard 2\/2 missing: a merge needs all 2 parts/);
    expect(existsSync(out)).toBe(false);

    run = await runCli(['merge', part('p1'), part('p2'), part('p1'), '--out', out]);
    expect(run.code).toBe(2);
    expect(run.output).toMatch(/p1 and .*p1 are both shard 1\/2: pass each shard once/);

    // Shard 2 of the same folder crawled from another sources file.
    writeFileSync(path.join(w.root, 'other.yaml'), SOURCES_YAML);
    mkdirSync(part('q2'));
    await w.run({ out: part('q2'), shard: { index: 2, count: 2 }, config: path.join(w.root, 'other.yaml') });
    run = await runCli(['merge', part('p1'), part('q2'), '--out', out]);
    expect(run.code).toBe(2);
    expect(run.output).toMatch(/q2 \(shard 2\/2, sources [0-9a-f]{16}\) is not a shard of the same crawl as .*p1 \(shard 1\/2, sources [0-9a-f]{16}\)/);

    // A plain crawl's folder has no shard.json.
    run = await runCli(['merge', w.out, '--out', out]);
    expect(run.code).toBe(2);
    expect(run.output).toMatch(/has no shard\.json, so it is not the output of `ida-catalog crawl --shard I\/N`/);

    // A part whose marker lies about which shard it is.
    const marker = readCatalog<ShardMarker>(part('p2'), SHARD_FILE);
    cpSync(part('p2'), part('liar'), { recursive: true });
    writeFileSync(path.join(part('liar'), SHARD_FILE), JSON.stringify({ ...marker, index: 1 }));
    run = await runCli(['merge', part('liar'), part('p2'), '--out', out]);
    expect(run.code).toBe(2);
    expect(run.output).toMatch(/liar holds https:\/\/github\.com\/\S+, which belongs to shard 2\/2, not 1\/2/);
    expect(existsSync(out)).toBe(false);

    // A shard crawl that fails leaves its folder without a marker: yesterday's part is not merged again.
    cpSync(part('p2'), part('p2-failed'), { recursive: true });
    expect((await w.run({ out: part('p2-failed'), shard: { index: 2, count: 2 }, config: path.join(w.root, 'missing.yaml') })).exitCode).toBe(2);
    run = await runCli(['merge', part('p1'), part('p2-failed'), '--out', out]);
    expect(run.code).toBe(2);
    expect(run.output).toMatch(/p2-failed has no shard\.json, so it is not the output of `ida-catalog crawl --shard I\/N` \(or that crawl did not finish\)/);

    // The good merge prints the per-source summary; a plain crawl into a part removes its marker.
    run = await runCli(['merge', part('p2'), part('p1'), '--out', out]);
    expect(run.code).toBe(0);
    expect(run.output).toMatch(/github-org-astro-org: ok — 2 repositories/);
    expect(run.output).toMatch(/merged 2 parts into .*: 4 repositories, \d+ workflows/);
    await w.run({ out: part('p1') });
    expect(existsSync(path.join(part('p1'), SHARD_FILE))).toBe(false);
    expect(readFileSync(path.join(part('p1'), 'repositories.json'), 'utf8')).toBe(readFileSync(path.join(out, 'repositories.json'), 'utf8'));
  }, 120_000);

  it('rejects a bad --shard on the command line', async () => {
    const run = await runCli(['crawl', '--shard', '3/2']);
    expect(run.code).toBe(2);
    expect(run.output).toMatch(/--shard 3\/2: I must be from 1 to N \(2\)/);
  });
});
