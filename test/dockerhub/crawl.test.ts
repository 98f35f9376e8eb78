/**
 * dockerhub sources end to end: `crawl` against loopback Docker Hub, registry, token service and CDN
 * (test/support/dockerhub-server.ts) writes catalog/images.json.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ImagesFile, MAX_IMAGE_TAGS, type Image } from '../../catalog/contract/index.js';
import { mergeShards } from '../../crawler/crawl/merge-files.js';
import { crawl, type CrawlOptions } from '../../crawler/crawl/run.js';
import { startDockerHubServer, type DockerHubServer, type DockerHubServerOptions, type FakeImage } from '../support/dockerhub-server.js';

const LABELS = (arch: string) => ({
  'org.opencontainers.image.source': 'https://github.com/astro-org/alpha',
  'org.opencontainers.image.description': `Alpha image (${arch})`,
  'org.opencontainers.image.licenses': 'BSD-3-Clause',
  'org.opencontainers.image.version': `1.2.0-${arch}`,
  'maintainer': 'someone',
});

function images(): FakeImage[] {
  return [
    {
      namespace: 'astro',
      name: 'alpha-notebook',
      description: 'Alpha notebook image',
      fullDescription: '# Alpha\n\nRun it with `docker run`.\n<script>alert(1)</script>',
      pulls: 12345,
      stars: 7,
      lastUpdated: '2026-01-01T10:00:00.123456Z',
      tags: [
        // A multi-platform index: arm64 listed first, linux/amd64 must be chosen for the labels.
        { name: '2026-01-01', pushed: '2026-01-01T10:00:00.000000Z', index: true, platforms: [
          { os: 'linux', architecture: 'arm64', variant: 'v8', size: 900, labels: LABELS('arm64') },
          { os: 'linux', architecture: 'amd64', size: 1000, labels: LABELS('amd64') },
        ] },
        { name: 'latest', pushed: '2025-12-01T00:00:00Z', index: true, platforms: [{ os: 'linux', architecture: 'amd64', size: 990 }] },
      ],
    },
    {
      namespace: 'astro',
      name: 'beta',
      description: 'Single-manifest image',
      lastUpdated: '2025-06-01T00:00:00Z',
      tags: [{ name: 'v1', pushed: '2025-06-01T00:00:00Z', platforms: [{ os: 'linux', architecture: 'amd64', size: 500, labels: { 'org.opencontainers.image.source': 'git@github.com:astro-org/beta.git', 'org.opencontainers.image.version': '1' } }] }],
    },
    { namespace: 'astro', name: 'gamma', tags: [] },
    { namespace: 'astro', name: 'hidden', private: true, tags: [] },
    {
      namespace: 'astro',
      name: 'many-tags',
      tags: Array.from({ length: 30 }, (_, i) => ({ name: `t${String(i).padStart(2, '0')}`, pushed: new Date(Date.UTC(2025, 0, 1 + i)).toISOString(), platforms: [{ os: 'linux', architecture: 'amd64', size: 10 + i }] })),
    },
    { namespace: 'other', name: 'solo', description: 'One repository source', tags: [{ name: '1.0', pushed: '2024-01-01T00:00:00Z', platforms: [{ os: 'linux', architecture: 'amd64', size: 1 }] }] },
  ];
}

const SOURCES = 'sources:\n  - dockerhub: {namespace: astro}\n  - dockerhub: {repository: other/solo}\n';

type Setup = { server: DockerHubServer; root: string; out: string; logs: string[]; run(extra?: Partial<CrawlOptions>): ReturnType<typeof crawl> };
let setup: Setup | null = null;

async function start(serverOptions: Partial<DockerHubServerOptions> = {}, sources = SOURCES): Promise<Setup> {
  const server = await startDockerHubServer({ images: images(), listPageSize: 2, ...serverOptions });
  const root = mkdtempSync(path.join(os.tmpdir(), 'ida-dockerhub-test-'));
  const out = path.join(root, 'catalog');
  const config = path.join(root, 'sources.yaml');
  writeFileSync(config, sources);
  const logs: string[] = [];
  setup = {
    server,
    root,
    out,
    logs,
    run: (extra = {}) =>
      crawl({
        config,
        out,
        log: (line) => logs.push(line),
        now: () => new Date('2026-02-01T00:00:00Z'),
        dockerhub: { apiUrl: server.hubUrl, registryUrl: server.registryUrl, authUrl: server.authUrl, retryAfterBaseValue: 5, retries: 3, maxInFlight: 4 },
        ...extra,
      }),
  };
  return setup;
}

afterEach(async () => {
  await setup?.server.close();
  if (setup) rmSync(setup.root, { recursive: true, force: true });
  setup = null;
});

function readImages(out: string): Image[] {
  return ImagesFile.parse(JSON.parse(readFileSync(path.join(out, 'images.json'), 'utf8'))).items;
}

describe('dockerhub sources', () => {
  it('harvests a namespace (paged) and a repository into images.json, with tags, labels and the token dance', async () => {
    const { server, out, run } = await start();
    const result = await run();
    expect(result.problems).toEqual([]);
    expect(result.exitCode).toBe(0);
    const items = readImages(out);
    expect(items.map((image) => image.id)).toEqual(['astro-alpha-notebook', 'astro-beta', 'astro-gamma', 'astro-many-tags', 'other-solo']);
    // Three namespace pages of two (the private image left out).
    expect(server.stats.byPath['hub /v2/namespaces/astro/repositories']).toBe(3);

    const alpha = items[0]!;
    expect(alpha).toMatchObject({
      name: 'astro/alpha-notebook',
      registry: 'docker.io',
      url: 'https://hub.docker.com/r/astro/alpha-notebook',
      source: 'dockerhub-namespace-astro',
      description: 'Alpha notebook image',
      pulls: 12345,
      stars: 7,
      updatedAt: '2026-01-01T10:00:00Z',
      tagCount: 2,
    });
    expect(alpha.fullDescription).toContain('<script>'); // kept as written: the site sanitises it
    expect(alpha.tags.map((tag) => [tag.name, tag.platforms, tag.size])).toEqual([
      ['2026-01-01', ['linux/amd64', 'linux/arm64/v8'], 1000],
      ['latest', ['linux/amd64'], 990],
    ]);
    expect(alpha.tags[0]!.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    // Labels from the index's linux/amd64 image, not the first (arm64) entry.
    expect(alpha.labels).toEqual({
      tag: '2026-01-01',
      digest: alpha.tags[0]!.digest,
      source: 'https://github.com/astro-org/alpha',
      description: 'Alpha image (amd64)',
      licenses: 'BSD-3-Clause',
      version: '1.2.0-amd64',
    });
    // A single (non-index) manifest; a git@ source label is not a web URL, so it is dropped.
    const beta = items[1]!;
    expect(beta.labels).toMatchObject({ tag: 'v1', source: null, version: '1', licenses: null });
    // No tags: no labels to read, no registry request.
    expect(items[2]!).toMatchObject({ tags: [], tagCount: 0, labels: null });
    // 30 tags over three pages of 10: newest first, capped.
    const many = items[3]!;
    expect(many.tags).toHaveLength(MAX_IMAGE_TAGS);
    expect(many.tags[0]!.name).toBe('t29');
    expect(many.tags.at(-1)!.name).toBe('t05');
    expect(many.tagCount).toBe(30);
    expect(server.stats.byPath['hub /v2/repositories/astro/many-tags/tags']).toBe(3);
    expect(items[4]!).toMatchObject({ source: 'dockerhub-repository-other-solo', url: 'https://hub.docker.com/r/other/solo' });

    // The token dance happened (a 401 challenge, then one token per repository) and no token left the registry's origin.
    expect(server.stats.tokensIssued).toBe(4);
    expect(server.stats.requests.cdn).toBe(4);
    expect(server.stats.cdnAuthorization).toEqual([]);
    expect(result.summaries.find((s) => s.id === 'dockerhub-namespace-astro')).toMatchObject({ status: 'ok', images: 4, changed: 4 });

    // A second crawl: byte-identical file, and labels are not read again (same newest digests).
    const before = readFileSync(path.join(out, 'images.json'), 'utf8');
    const registryBefore = server.stats.requests.registry;
    const again = await run();
    expect(readFileSync(path.join(out, 'images.json'), 'utf8')).toBe(before);
    expect(server.stats.requests.registry).toBe(registryBefore);
    expect(again.summaries.find((s) => s.id === 'dockerhub-namespace-astro')).toMatchObject({ status: 'ok', unchanged: 4, changed: 0 });
  });

  it('keeps at most maxInFlight requests on the wire', async () => {
    const { server, out, run } = await start({ latencyMs: 30 });
    await run({ dockerhub: { apiUrl: server.hubUrl, registryUrl: server.registryUrl, authUrl: server.authUrl, maxInFlight: 2 } });
    expect(readImages(out)).toHaveLength(5);
    expect(server.stats.maxInFlight).toBe(2);
  });

  it('waits out 429 retry-after and retries 5xx', async () => {
    const { server, out, run } = await start({
      retryAfter: 2,
      fault: (name, pathname, sequence) => (name === 'hub' && sequence === 0 ? '429' : name === 'hub' && sequence === 1 ? '503' : name === 'registry' && sequence === 0 ? '500' : null),
    });
    const result = await run();
    expect(result.summaries.every((s) => s.status === 'ok')).toBe(true);
    expect(readImages(out)).toHaveLength(5);
    expect(server.stats.faults).toBe(3);
    expect(result.dockerhub).toMatchObject({ rateLimitWaits: 1, retries: 3 });
    expect(setup!.logs.some((line) => /rate limited \(429\); retrying in 2s/.test(line))).toBe(true);
  });

  it('a retry-after longer than we wait fails the listing; garbage JSON fails one image; previous records are kept, stale', async () => {
    const { server, out, run } = await start();
    await run();
    const first = readImages(out);
    server.options.retryAfter = 3600;
    server.options.fault = (name, pathname) => (pathname.startsWith('/v2/namespaces/') ? '429' : pathname === '/v2/repositories/other/solo' ? 'garbage' : null);
    const result = await run({ dockerhub: { apiUrl: server.hubUrl, registryUrl: server.registryUrl, authUrl: server.authUrl, retryAfterBaseValue: 5, maxWaitSeconds: 60 } });
    const astro = result.summaries.find((s) => s.id === 'dockerhub-namespace-astro')!;
    expect(astro.status).toBe('stale');
    expect(astro.errors[0]).toMatch(/listing failed: .*retry-after 3600s is over the 60s we wait/);
    const solo = result.summaries.find((s) => s.id === 'dockerhub-repository-other-solo')!;
    expect(solo.status).toBe('partial');
    expect(solo.errors[0]).toMatch(/other\/solo: .*not JSON/);
    const second = readImages(out);
    expect(second.map((image) => image.id)).toEqual(first.map((image) => image.id));
    expect(second.every((image) => image.staleSince === '2026-02-01T00:00:00Z')).toBe(true);
    expect(second.map(({ staleSince: _s, ...image }) => image)).toEqual(first);
  });

  it('refuses a token challenge that points off the configured token service; the image is kept without labels', async () => {
    const { server, out, run } = await start({ realm: () => 'http://127.0.0.1:9/token' }, 'sources:\n  - dockerhub: {repository: other/solo}\n');
    const result = await run();
    const [solo] = readImages(out);
    expect(solo!.labels).toBeNull();
    expect(solo!.warnings[0]).toMatch(/OCI labels of other\/solo:1\.0 not read: registry: the 401 challenge for other\/solo sends us to http:\/\/127\.0\.0\.1:9/);
    expect(server.stats.requests.auth).toBe(0);
    expect(result.summaries[0]!.warnings).toHaveLength(1);
  });

  it('an image Docker Hub does not know is reported; --no-api keeps the previous records', async () => {
    const { out, run } = await start({}, 'sources:\n  - dockerhub: {repository: other/solo}\n  - dockerhub: {repository: nobody/missing}\n');
    const result = await run();
    expect(result.summaries.find((s) => s.id === 'dockerhub-repository-nobody-missing')!.errors).toEqual(['nobody/missing was not found on Docker Hub (deleted or private)']);
    expect(readImages(out).map((image) => image.id)).toEqual(['other-solo']);
    const offline = await run({ noApi: true });
    expect(offline.summaries.every((s) => s.status === 'stale')).toBe(true);
    expect(readImages(out).map((image) => [image.id, image.staleSince])).toEqual([['other-solo', '2026-02-01T00:00:00Z']]);
  });

  it('a sharded crawl: shard 1 harvests the images and the merge publishes them, as one crawl does', async () => {
    const { out, root, run, server } = await start();
    await run();
    const single = readFileSync(path.join(out, 'images.json'), 'utf8');
    const before = server.stats.requests.hub;
    const parts = [1, 2].map((index) => path.join(root, `part-${index}`));
    for (const [i, part] of parts.entries()) {
      mkdirSync(part);
      expect((await run({ out: part, shard: { index: i + 1, count: 2 } })).problems).toEqual([]);
    }
    const markers = parts.map((part) => JSON.parse(readFileSync(path.join(part, 'shard.json'), 'utf8')) as { images?: true });
    expect(markers.map((marker) => marker.images ?? false)).toEqual([true, false]);
    // Shard 2 asked Docker Hub nothing: only shard 1's listing went out (the same count as one crawl's).
    expect(server.stats.requests.hub - before).toBe(before);
    const merged = path.join(root, 'merged');
    expect((await mergeShards(parts, merged)).problems).toEqual([]);
    expect(readFileSync(path.join(merged, 'images.json'), 'utf8')).toBe(single);
  });

  it('removal needs evidence: an image gone private is kept (stale) by the first crawl that misses it and removed by the second', async () => {
    const { out, run, server } = await start({}, 'sources:\n  - dockerhub: {repository: other/solo}\n');
    await run();
    expect(readImages(out).map((image) => image.id)).toEqual(['other-solo']);
    const solo = server.options.images.find((image) => image.namespace === 'other' && image.name === 'solo')!;
    solo.private = true;
    const first = await run();
    expect(readImages(out).map((image) => [image.id, image.staleSince])).toEqual([['other-solo', '2026-02-01T00:00:00Z']]);
    expect(first.summaries[0]!.errors).toEqual(['other/solo was not found on Docker Hub (deleted or private): its record is kept (stale) and removed if the next crawl finds it missing too']);
    const state = JSON.parse(readFileSync(path.join(out, 'state.json'), 'utf8')) as { missingSince: Record<string, string> };
    expect(state.missingSince).toEqual({ 'https://hub.docker.com/r/other/solo': '2026-02-01T00:00:00Z' });
    const second = await run();
    expect(readImages(out)).toEqual([]);
    expect(second.summaries[0]!.errors).toEqual(['other/solo was not found on Docker Hub (deleted or private), as it was on the crawl of 2026-02-01T00:00:00Z: its record is removed']);
    expect((JSON.parse(readFileSync(path.join(out, 'state.json'), 'utf8')) as { missingSince: Record<string, string> }).missingSince).toEqual({});
  });
});
