/** crawl --shard I/N, the pure part: parsing, the repository → shard function, slicing a catalog. */
import { describe, expect, it } from 'vitest';
import type { PreviousCatalog } from '../../crawler/crawl/assemble.js';
import { mergeSummaries } from '../../crawler/crawl/merge.js';
import { inShard, parseShard, shardOf, sliceCatalog, sourcesFingerprint } from '../../crawler/crawl/shard.js';
import { emptyState } from '../../crawler/crawl/state.js';

const urls = Array.from({ length: 1000 }, (_, i) => `https://github.com/big-org/repo-${String(i).padStart(4, '0')}`);

describe('parseShard', () => {
  it('reads I/N and says what is wrong with anything else', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, count: 1 });
    expect(parseShard('0/4')).toEqual({ error: expect.stringMatching(/I must be from 1 to N \(4\)/) });
    expect(parseShard('5/4')).toEqual({ error: expect.stringMatching(/I must be from 1 to N/) });
    expect(parseShard('1/0')).toEqual({ error: expect.stringMatching(/N must be from 1 to 256/) });
    expect(parseShard('1-4')).toEqual({ error: expect.stringMatching(/wants I\/N.*got "1-4"/) });
    expect(parseShard('a/b')).toHaveProperty('error');
  });
});

describe('shardOf', () => {
  it('depends on the URL alone: the same answer every time, whatever else is crawled', () => {
    const before = urls.map((url) => shardOf(url, 4));
    // Adding repositories (a new source, a new repository in an org) moves none of the others.
    const more = [...urls, 'https://github.com/new-org/x', 'https://git.example.org/a/b'];
    expect(more.slice(0, urls.length).map((url) => shardOf(url, 4))).toEqual(before);
    expect(shardOf('https://github.com/astro-org/alpha', 2)).toBe(2);
    expect(shardOf('https://github.com/solo/one', 2)).toBe(1);
  });

  it('spreads 1,000 repositories evenly over 2, 3 and 4 shards (each within 20% of its share)', () => {
    for (const count of [2, 3, 4]) {
      const sizes = Array.from({ length: count }, () => 0);
      for (const url of urls) sizes[shardOf(url, count) - 1]! += 1;
      for (const size of sizes) expect(Math.abs(size - 1000 / count)).toBeLessThan(0.2 * (1000 / count));
      expect(sizes.reduce((a, b) => a + b)).toBe(1000);
    }
  });

  it('puts every repository in exactly one shard; 1/1 is everything', () => {
    for (const url of urls.slice(0, 100)) {
      expect([1, 2, 3].filter((index) => inShard(url, { index, count: 3 }))).toHaveLength(1);
      expect(inShard(url, { index: 1, count: 1 })).toBe(true);
    }
  });
});

describe('sliceCatalog', () => {
  it("keeps a shard's repositories, their workflows and state entries, and the whole API cache", () => {
    const [a, b] = ['https://github.com/astro-org/alpha', 'https://github.com/solo/one'];
    const repo = (url: string) => ({ url, source: 'src' }) as unknown as PreviousCatalog['repositories'][number];
    const workflow = (url: string) => ({ id: `w-${url}`, repository: { url } }) as unknown as PreviousCatalog['workflows'][number];
    const state = emptyState();
    state.api['/orgs/astro-org/repos?per_page=100&page=1'] = { etag: 'W/"1"', next: null, repos: [] };
    for (const url of [a, b]) {
      state.repositories[url] = { source: 'src', ref: 'main', commit: 'c', options: 'o', seenAt: '2026-01-01T00:00:00Z', workflows: [], media: [], forge: null };
      state.failingSince[url] = '2026-01-01T00:00:00Z';
      state.missingSince[url] = '2026-01-01T00:00:00Z';
    }
    const catalog: PreviousCatalog = { repositories: [repo(a), repo(b)], workflows: [workflow(a), workflow(b)], state };
    const two = sliceCatalog(catalog, { index: 2, count: 2 });
    expect(two.repositories.map((r) => r.url)).toEqual([a]);
    expect(two.workflows.map((w) => w.repository.url)).toEqual([a]);
    expect(Object.keys(two.state.repositories)).toEqual([a]);
    expect(Object.keys(two.state.failingSince)).toEqual([a]);
    expect(Object.keys(two.state.missingSince)).toEqual([a]);
    expect(two.state.api).toEqual(state.api);
    expect(sliceCatalog(catalog, { index: 1, count: 2 }).repositories.map((r) => r.url)).toEqual([b]);
  });
});

describe('sourcesFingerprint and mergeSummaries', () => {
  it('tells sources configurations apart', () => {
    const one = [{ id: 'a', source: { github: { org: 'x' } } }] as Parameters<typeof sourcesFingerprint>[0];
    const two = [{ id: 'a', source: { github: { org: 'y' } } }] as Parameters<typeof sourcesFingerprint>[0];
    expect(sourcesFingerprint(one)).toBe(sourcesFingerprint(structuredClone(one)));
    expect(sourcesFingerprint(one)).not.toBe(sourcesFingerprint(two));
  });

  it('adds the shards’ counts, keeps the worst status and each error and warning once', () => {
    const base = { id: 's', repositories: 1, changed: 1, unchanged: 0, removed: 0, stale: 0, workflows: 2 };
    const merged = mergeSummaries([
      [{ ...base, status: 'ok', errors: ['listing warning'], warnings: ['https://github.com/x/z: 3 notebooks left out'] }],
      [{ ...base, status: 'partial', errors: ['listing warning', 'https://github.com/x/y: boom'], warnings: [], stale: 1 }],
    ]);
    expect(merged).toEqual([{ ...base, repositories: 2, changed: 2, workflows: 4, stale: 1, status: 'partial', errors: ['listing warning', 'https://github.com/x/y: boom'], warnings: ['https://github.com/x/z: 3 notebooks left out'] }]);
  });
});
