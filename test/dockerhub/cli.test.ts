/** `ida-catalog crawl` reads Docker Hub's, the registry's and the token service's addresses from the environment. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { main } from '../../crawler/cli/index.js';
import { startDockerHubServer, type DockerHubServer } from '../support/dockerhub-server.js';

let server: DockerHubServer | null = null;
let root = '';
afterEach(async () => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  await server?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

it('crawls a dockerhub source at the URLs the environment gives and prints its summary', async () => {
  server = await startDockerHubServer({
    images: [{ namespace: 'esap', name: 'notebook', description: 'ESAP notebook', pulls: 3, tags: [{ name: 'v1', pushed: '2025-01-01T00:00:00Z', platforms: [{ os: 'linux', architecture: 'amd64', size: 5, labels: { 'org.opencontainers.image.version': '1' } }] }] }],
  });
  root = mkdtempSync(path.join(os.tmpdir(), 'ida-dockerhub-cli-'));
  writeFileSync(path.join(root, 'sources.yaml'), 'sources:\n  - dockerhub: {namespace: esap}\n');
  vi.stubEnv('DOCKERHUB_API_URL', server.hubUrl);
  vi.stubEnv('DOCKER_REGISTRY_URL', server.registryUrl);
  vi.stubEnv('DOCKER_AUTH_URL', server.authUrl);
  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => lines.push(parts.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => lines.push(parts.join(' ')));
  const code = await main(['crawl', '--config', path.join(root, 'sources.yaml'), '--out', path.join(root, 'catalog'), '--progress', 'none']);
  expect(code).toBe(0);
  expect(lines).toContain('  dockerhub-namespace-esap: ok — 1 images (1 updated, 0 unchanged, 0 removed, 0 stale)');
  expect(lines.some((line) => /^Docker Hub and registry: \d+ requests, 0 rate-limit waits, 0 retries$/.test(line))).toBe(true);
  const images = JSON.parse(readFileSync(path.join(root, 'catalog', 'images.json'), 'utf8')) as { items: Array<{ id: string; labels: { version: string } }> };
  expect(images.items.map((image) => [image.id, image.labels.version])).toEqual([['esap-notebook', '1']]);
  expect(server.stats.requests.hub).toBeGreaterThan(0);
});
