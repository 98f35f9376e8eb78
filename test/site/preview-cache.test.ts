/** The build's cache of rendered notebook previews (site/lib/render/preview-cache.ts), on a real folder. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { appendFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPreviewCache, previewKey, prunePreviewCache, type PreviewCache } from '../../site/lib/render/preview-cache.js';

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'ida-preview-cache-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** The end of a build whose (one) thread used `cache`: prunes what it did not use; its figures, and entries dropped. */
function finish(root: string, version: string, cache: PreviewCache) {
  const { used, hits, rendered } = cache.usage();
  cache.close();
  return { hits, rendered, removed: prunePreviewCache(root, version, new Set(used)) };
}

/** A build that renders `entries` (key → HTML) into the cache at `root` and finishes. */
function buildRendering(root: string, version: string, entries: Record<string, string>) {
  const cache = openPreviewCache(root, version);
  for (const [key, html] of Object.entries(entries)) cache.put(key, html);
  return finish(root, version, cache);
}

/** What a fresh thread finds in the cache for each key (null: a miss). */
function lookUp(root: string, version: string, keys: string[]): Array<string | null> {
  const cache = openPreviewCache(root, version);
  const found = keys.map((key) => cache.get(key));
  cache.close();
  return found;
}

const files = (folder: string) => readdirSync(folder).sort();
const packs = (folder: string) => files(folder).filter((name) => name.endsWith('.pack'));
const keysOf = (...texts: string[]) => texts.map((text) => previewKey('/', text));

describe('preview cache', () => {
  it('keys an entry by the exact preview text and the base', () => {
    const key = previewKey('/', '{"id":"a"}');
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(previewKey('/', '{"id":"a"}')).toBe(key);
    expect(previewKey('/', '{"id":"a"} ')).not.toBe(key);
    expect(previewKey('/base/', '{"id":"a"}')).not.toBe(key);
    // The separator keeps base and text apart: "/a" + "b" is not "/" + "ab".
    expect(previewKey('/a', 'b')).not.toBe(previewKey('/', 'ab'));
  });

  it("serves a later build what an earlier one rendered, and keeps only the last build's entries", () => {
    const root = path.join(work, 'builds');
    const [a, b, c] = keysOf('a', 'b', 'c') as [string, string, string];

    const first = openPreviewCache(root, 'v1');
    expect(first.get(a)).toBeNull();
    first.put(a, '<p>a</p>');
    first.put(b, '<p>b – ünïcode</p>');
    // A copy of a notebook later in the same build.
    expect(first.get(a)).toBe('<p>a</p>');
    expect(finish(root, 'v1', first)).toEqual({ hits: 1, rendered: 2, removed: 0 });
    // One pack and its index, not a file per entry.
    expect(files(path.join(root, 'v1'))).toHaveLength(2);

    const second = openPreviewCache(root, 'v1');
    expect(second.get(b)).toBe('<p>b – ünïcode</p>');
    second.put(c, '<p>c</p>');
    // `a` was not used by this build: it is dropped.
    expect(finish(root, 'v1', second)).toEqual({ hits: 1, rendered: 1, removed: 1 });
    expect(lookUp(root, 'v1', [a, b, c])).toEqual([null, '<p>b – ünïcode</p>', '<p>c</p>']);
  });

  it("keeps what any of a build's threads used: each opens the cache, the build prunes once with all their entries", () => {
    const root = path.join(work, 'threads');
    const [a, b, c] = keysOf('a', 'b', 'c') as [string, string, string];
    buildRendering(root, 'v', { [a]: '<p>a</p>', [b]: '<p>b</p>', [c]: '<p>c</p>' });
    const one = openPreviewCache(root, 'v');
    const two = openPreviewCache(root, 'v');
    expect(one.get(a)).toBe('<p>a</p>');
    expect(two.get(b)).toBe('<p>b</p>');
    const [d, e] = keysOf('d', 'e') as [string, string];
    one.put(d, '<p>d</p>');
    two.put(e, '<p>e</p>');
    const used = new Set([...one.usage().used, ...two.usage().used]);
    one.close();
    two.close();
    expect(prunePreviewCache(root, 'v', used)).toBe(1);
    expect(lookUp(root, 'v', [a, b, c, d, e])).toEqual(['<p>a</p>', '<p>b</p>', null, '<p>d</p>', '<p>e</p>']);
    // The first build's pack and one per thread that rendered.
    expect(packs(path.join(root, 'v'))).toHaveLength(3);
  });

  it('rewrites the live entries into one pack once a quarter of the bytes are dead, and drops packs with none', () => {
    const root = path.join(work, 'compact');
    const folder = path.join(root, 'v');
    const keys = keysOf(...Array.from({ length: 8 }, (_, index) => `n${index}`));
    const html = (key: string, night: number) => `<p>${key} ${'x'.repeat(100)} ${night}</p>`;
    buildRendering(root, 'v', Object.fromEntries(keys.map((key) => [key, html(key, 0)])));
    const [first] = packs(folder);

    // A night where one notebook of eight changed: an eighth of the bytes dead, the old pack kept.
    const changed = previewKey('/', 'changed');
    let night = openPreviewCache(root, 'v');
    for (const key of keys.slice(1)) expect(night.get(key)).toBe(html(key, 0));
    night.put(changed, html(changed, 1));
    expect(finish(root, 'v', night).removed).toBe(1);
    expect(packs(folder)).toHaveLength(2);
    expect(packs(folder)).toContain(first);
    expect(readFileSync(path.join(folder, first!.replace('.pack', '.index')), 'latin1').split('\n').filter(Boolean)).toHaveLength(7);

    // Two more changed: more than a quarter of the first pack's bytes dead, so everything live is rewritten.
    night = openPreviewCache(root, 'v');
    for (const key of [...keys.slice(3), changed]) night.get(key);
    expect(finish(root, 'v', night).removed).toBe(2);
    expect(packs(folder)).toHaveLength(1);
    expect(packs(folder)).not.toContain(first);
    expect(files(folder)).toHaveLength(2);
    const live = [...keys.slice(3), changed];
    expect(lookUp(root, 'v', live)).toEqual(live.map((key) => html(key, key === changed ? 1 : 0)));
    expect(statSync(path.join(folder, packs(folder)[0]!)).size).toBe(live.reduce((sum, key) => sum + Buffer.byteLength(html(key, key === changed ? 1 : 0)), 0));

    // A build that used nothing leaves an empty folder.
    expect(prunePreviewCache(root, 'v', new Set())).toBe(live.length);
    expect(files(folder)).toEqual([]);
  });

  it('reads past what a stopped build left: a cut-short index line, stray files', async () => {
    const root = path.join(work, 'stopped');
    const folder = path.join(root, 'v');
    const [a, b] = keysOf('a', 'b') as [string, string];
    buildRendering(root, 'v', { [a]: '<p>a</p>' });
    const [pack] = packs(folder);
    // The stopped build had written b's HTML and half of its index line.
    await appendFile(path.join(folder, pack!), '<p>b</p>');
    await appendFile(path.join(folder, pack!.replace('.pack', '.index')), `${b} 8 8`);
    await writeFile(path.join(folder, 'other.index.tmp'), 'half');
    expect(lookUp(root, 'v', [a, b])).toEqual(['<p>a</p>', null]);
    expect(prunePreviewCache(root, 'v', new Set([a]))).toBe(0);
    // Half the pack was bytes no index lists: rewritten without them; the stray file is gone.
    expect(files(folder)).toHaveLength(2);
    expect(statSync(path.join(folder, packs(folder)[0]!)).size).toBe('<p>a</p>'.length);
    expect(lookUp(root, 'v', [a])).toEqual(['<p>a</p>']);
  });

  it('starts afresh for a new renderer version and removes the old one', () => {
    const root = path.join(work, 'versions');
    const [key] = keysOf('x') as [string];
    buildRendering(root, 'old', { [key]: '<p>old renderer</p>' });
    expect(lookUp(root, 'new', [key])).toEqual([null]);
    buildRendering(root, 'new', { [key]: '<p>new renderer</p>' });
    expect(readdirSync(root)).toEqual(['new']);
    expect(lookUp(root, 'new', [key])).toEqual(['<p>new renderer</p>']);
  });

  it('never fails a build: an entry removed meanwhile is a miss, and a cache it cannot write is no cache', async () => {
    const root = path.join(work, 'removed');
    const [key] = keysOf('y') as [string];
    buildRendering(root, 'v', { [key]: '<p>y</p>' });
    const reader = openPreviewCache(root, 'v');
    for (const pack of packs(path.join(root, 'v'))) await rm(path.join(root, 'v', pack));
    expect(reader.get(key)).toBeNull();
    reader.close();

    // The cache folder's place is taken by a file: nothing can be kept, and nothing throws.
    const blocked = path.join(work, 'blocked');
    await mkdir(blocked);
    await writeFile(path.join(blocked, 'v'), 'not a folder');
    expect(lookUp(blocked, 'v', [key])).toEqual([null]);
    expect(buildRendering(blocked, 'v', { [key]: '<p>y</p>' }).rendered).toBe(1);
    expect(readFileSync(path.join(blocked, 'v'), 'utf8')).toBe('not a folder');
    expect(lookUp(blocked, 'v', [key])).toEqual([null]);
  });
});
