import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createHub } from '../../crawler/dockerhub/hub.js';
import { imageRecord, labelsOf, newestTags, tagOf } from '../../crawler/dockerhub/records.js';
import { parseBearerChallenge } from '../../crawler/dockerhub/registry.js';
import { createPoliteHttp, retryAfterSeconds } from '../../crawler/http/polite.js';

describe('Docker Hub answers are untrusted', () => {
  it('reads Bearer challenges and retry-after the way registries write them', () => {
    expect(parseBearerChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:jupyter/base-notebook:pull"')).toEqual({
      realm: 'https://auth.docker.io/token',
      service: 'registry.docker.io',
      scope: 'repository:jupyter/base-notebook:pull',
    });
    expect(parseBearerChallenge('Basic realm="x"')).toBeNull();
    expect(retryAfterSeconds('7')).toBe(7);
    expect(retryAfterSeconds(new Date(Date.UTC(2026, 0, 1, 0, 0, 30)).toUTCString(), Date.UTC(2026, 0, 1))).toBe(30);
    expect(retryAfterSeconds('soon')).toBeNull();
  });

  it('drops unusable tags and values instead of failing the image', () => {
    expect(tagOf({ name: 'bad tag!', images: [] })).toBeNull();
    expect(tagOf('nonsense')).toBeNull();
    expect(tagOf({ name: 'ok', digest: 'not-a-digest', images: [{ os: 'linux', architecture: 'amd64', size: -5 }, { os: 'unknown', architecture: 'unknown', size: 3 }], tag_last_pushed: 'yesterday', full_size: 1.5 })).toEqual({
      name: 'ok',
      digest: null,
      size: 3,
      platforms: ['linux/amd64'],
      pushedAt: null,
    });
    const tags = newestTags([{ name: 'old', tag_last_pushed: '2020-01-01T00:00:00Z' }, { name: 'never' }, { name: 'new', tag_last_pushed: '2024-01-01T00:00:00Z' }]);
    expect(tags.map((tag) => tag.name)).toEqual(['new', 'old', 'never']);
    expect(labelsOf('v1', null, { 'org.opencontainers.image.source': 'javascript:alert(1)', 'org.opencontainers.image.description': `x${'y'.repeat(900)}\u0000` }).source).toBeNull();
    expect(labelsOf('v1', null, { 'org.opencontainers.image.description': 'y'.repeat(900) }).description).toHaveLength(500);
    const record = imageRecord({
      name: 'astro/x',
      source: 's',
      repository: { description: 'd\u0007\nx', full_description: 'z'.repeat(40_000), pull_count: -1, star_count: '5', last_updated: 'garbage' },
      tags: { results: [], count: 1e20 },
      labels: null,
      warnings: [],
    });
    expect(record).toMatchObject({ description: 'd x', pulls: null, stars: null, updatedAt: null, tagCount: 0 });
    expect(record.fullDescription).toHaveLength(25_000);
  });

  it('follows `next` only on the API origin and refuses bodies over the cap', async () => {
    let port = 0;
    const server = http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      if (req.url?.includes('/v2/namespaces/far/')) res.end(JSON.stringify({ count: 2, next: 'https://elsewhere.example/v2/namespaces/far/repositories?page=2', results: [{ name: 'a' }] }));
      else res.end(JSON.stringify({ count: 1, next: null, results: [{ name: 'x'.repeat(2000) }] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    try {
      const hub = createHub(createPoliteHttp('Docker Hub', { retries: 0 }), `http://127.0.0.1:${port}`);
      await expect(hub.listNamespace('far')).rejects.toThrow(/"next" points off the API \(https:\/\/elsewhere\.example\)/);
      const small = createPoliteHttp('Docker Hub', { retries: 0 });
      await expect(small.get(`http://127.0.0.1:${port}/v2/namespaces/big/repositories`, { maxBytes: 100 })).rejects.toThrow(/over the 100-byte cap/);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
