/**
 * A small crawl world: real git repositories (file:// for github.com, `git daemon` for another host),
 * the loopback GitHub API, a sources.yaml and an empty catalog folder.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { crawl, type CrawlOptions, type CrawlResult } from '../../crawler/crawl/run.js';
import { commitFiles, notebook, startGitDaemon, type GitDaemon } from '../support/github-server/git.js';
import { startGitHubServer, type FakeRepo, type GitHubServer, type GitHubServerOptions } from '../support/github-server/index.js';

export const SOURCES_YAML = `sources:
  - github: {org: astro-org}
  - github: {repo: solo/one}
  - id: example-host
    git: https://git.example.org/group/project
`;

export const GITHUB_REPOS: FakeRepo[] = [
  { owner: 'astro-org', name: 'alpha', description: 'Alpha analysis', topics: ['astronomy', 'vo'], license: 'MIT', stars: 5 },
  { owner: 'astro-org', name: 'beta', description: 'Beta analysis', stars: 1 },
  { owner: 'astro-org', name: 'old-fork', fork: true },
  { owner: 'solo', name: 'one', ownerType: 'User', license: 'BSD-3-Clause', stars: 42, topics: ['physics'] },
];

export type World = {
  root: string;
  out: string;
  mirrors: string;
  daemonBase: string;
  server: GitHubServer;
  daemon: GitDaemon;
  logs: string[];
  options(extra?: Partial<CrawlOptions>): CrawlOptions;
  run(extra?: Partial<CrawlOptions>): Promise<CrawlResult>;
  close(): Promise<void>;
};

export async function makeWorld(serverOptions: GitHubServerOptions = {}, sources = SOURCES_YAML): Promise<World> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'ida-crawl-test-'));
  const mirrors = path.join(root, 'mirrors');
  const daemonBase = path.join(root, 'daemon');
  const out = path.join(root, 'catalog');
  mkdirSync(out, { recursive: true });
  commitFiles(path.join(mirrors, 'astro-org', 'alpha'), {
    'analysis.ipynb': notebook('Alpha analysis'),
    'requirements.txt': 'numpy\nastropy\n',
    'README.md': '# Alpha\n',
    'data/huge.bin': Buffer.alloc(64 * 1024, 1),
  });
  commitFiles(path.join(mirrors, 'astro-org', 'beta'), { 'nb/beta.ipynb': notebook('Beta study') });
  commitFiles(path.join(mirrors, 'astro-org', 'old-fork'), { 'fork.ipynb': notebook('Fork') });
  commitFiles(path.join(mirrors, 'solo', 'one'), { 'one.ipynb': notebook('Solo one', 'import scipy\nprint(1)') });
  commitFiles(path.join(daemonBase, 'group', 'project'), { 'demo.ipynb': notebook('Demo on another host', 'import pandas') });
  const server = await startGitHubServer({ repos: GITHUB_REPOS, ...serverOptions });
  const daemon = await startGitDaemon(daemonBase);
  const config = path.join(root, 'sources.yaml');
  writeFileSync(config, sources);
  const logs: string[] = [];
  const options = (extra: Partial<CrawlOptions> = {}): CrawlOptions => ({
    config,
    out,
    apiUrl: server.url,
    git: {
      rewrites: [
        { base: `${pathToFileURL(mirrors).href}/`, insteadOf: 'https://github.com/' },
        { base: daemon.url, insteadOf: 'https://git.example.org/' },
      ],
      protocols: ['https', 'file', 'git'],
    },
    github: { retryAfterBaseValue: 5, maxWaitSeconds: 30 },
    log: (line) => logs.push(line),
    now: () => new Date('2026-01-02T03:04:05Z'),
    ...extra,
  });
  return {
    root,
    out,
    mirrors,
    daemonBase,
    server,
    daemon,
    logs,
    options,
    run: (extra) => crawl(options(extra)),
    async close() {
      await Promise.all([server.close(), daemon.close()]);
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Every file under `dir` with its bytes, keyed by relative path. */
export function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (current: string) => {
    for (const name of readdirSync(current).sort()) {
      const full = path.join(current, name);
      if (statSync(full).isDirectory()) walk(full);
      else files[path.relative(dir, full)] = readFileSync(full).toString('base64');
    }
  };
  walk(dir);
  return files;
}

export function readCatalog<T = unknown>(out: string, name: string): T {
  return JSON.parse(readFileSync(path.join(out, name), 'utf8')) as T;
}
