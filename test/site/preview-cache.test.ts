/** The build's cache of rendered notebook previews (site/lib/render/preview-cache.ts), on a real folder. */
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
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

/** The end of a build whose (one) thread used `cache`: prunes what it did not use; its figures, and files removed. */
function finish(root: string, version: string, cache: PreviewCache) {
  const { used, hits, rendered } = cache.usage();
  return { hits, rendered, removed: prunePreviewCache(root, version, new Set(used)) };
}

/** A build that renders `entries` (key → HTML) into the cache at `root` and finishes. */
function buildRendering(root: string, version: string, entries: Record<string, string>) {
  const cache = openPreviewCache(root, version);
  for (const [key, html] of Object.entries(entries)) cache.put(key, html);
  return finish(root, version, cache);
}

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

  it("serves a later build what an earlier one rendered, and keeps only the last build's entries", async () => {
    const root = path.join(work, 'builds');
    const [a, b, c] = ['a', 'b', 'c'].map((text) => previewKey('/', text)) as [string, string, string];

    const first = openPreviewCache(root, 'v1');
    expect(first.get(a)).toBeNull();
    first.put(a, '<p>a</p>');
    first.put(b, '<p>b – ünïcode</p>');
    // A copy of a notebook later in the same build.
    expect(first.get(a)).toBe('<p>a</p>');
    expect(finish(root, 'v1', first)).toEqual({ hits: 1, rendered: 2, removed: 0 });

    const second = openPreviewCache(root, 'v1');
    expect(second.get(b)).toBe('<p>b – ünïcode</p>');
    second.put(c, '<p>c</p>');
    // `a` was not used by this build: it goes, as does a file a stopped build left half-written.
    await writeFile(path.join(root, 'v1', `${a}.html.999.0.tmp`), '<p>half');
    expect(finish(root, 'v1', second)).toEqual({ hits: 1, rendered: 1, removed: 2 });
    expect(readdirSync(path.join(root, 'v1')).sort()).toEqual([`${b}.html`, `${c}.html`].sort());

    const third = openPreviewCache(root, 'v1');
    expect(third.get(a)).toBeNull();
    expect(third.get(c)).toBe('<p>c</p>');
  });

  it("keeps what any of a build's threads used: each opens the cache, the build prunes once with all their entries", () => {
    const root = path.join(work, 'threads');
    const [a, b, c] = ['a', 'b', 'c'].map((text) => previewKey('/', text)) as [string, string, string];
    buildRendering(root, 'v', { [a]: '<p>a</p>', [b]: '<p>b</p>', [c]: '<p>c</p>' });
    const one = openPreviewCache(root, 'v');
    const two = openPreviewCache(root, 'v');
    expect(one.get(a)).toBe('<p>a</p>');
    expect(two.get(b)).toBe('<p>b</p>');
    const used = new Set([...one.usage().used, ...two.usage().used]);
    expect(prunePreviewCache(root, 'v', used)).toBe(1);
    expect(readdirSync(path.join(root, 'v')).sort()).toEqual([`${a}.html`, `${b}.html`].sort());
  });

  it('starts afresh for a new renderer version and removes the old one', async () => {
    const root = path.join(work, 'versions');
    const key = previewKey('/', 'x');
    buildRendering(root, 'old', { [key]: '<p>old renderer</p>' });
    expect(openPreviewCache(root, 'new').get(key)).toBeNull();
    buildRendering(root, 'new', { [key]: '<p>new renderer</p>' });
    expect(readdirSync(root)).toEqual(['new']);
    expect(openPreviewCache(root, 'new').get(key)).toBe('<p>new renderer</p>');
  });

  it('never fails a build: an entry removed meanwhile is a miss, and a cache it cannot write is no cache', async () => {
    const root = path.join(work, 'removed');
    const key = previewKey('/', 'y');
    buildRendering(root, 'v', { [key]: '<p>y</p>' });
    const reader = openPreviewCache(root, 'v');
    await rm(path.join(root, 'v', `${key}.html`));
    expect(reader.get(key)).toBeNull();

    // The cache folder's place is taken by a file: nothing can be kept, and nothing throws.
    const blocked = path.join(work, 'blocked');
    await mkdir(blocked);
    await writeFile(path.join(blocked, 'v'), 'not a folder');
    expect(openPreviewCache(blocked, 'v').get(key)).toBeNull();
    expect(buildRendering(blocked, 'v', { [key]: '<p>y</p>' }).rendered).toBe(1);
    expect(existsSync(path.join(blocked, 'v', `${key}.html`))).toBe(false);
    expect(openPreviewCache(blocked, 'v').get(key)).toBeNull();
  });
});
