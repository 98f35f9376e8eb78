/**
 * `ida-catalog crawl`: harvest the sources in catalog/sources.yaml into the catalog folder.
 * Environment: GITHUB_TOKEN (optional, never printed), GITHUB_API_URL (GitHub Enterprise, tests), ZENODO_API_URL (tests).
 */
import { crawl, type SourceSummary } from '../crawl/run.js';
import { parseShard } from '../crawl/shard.js';
import type { UrlRewrite } from '../git/remote.js';
import { parseCommandArgs, type Command } from './args.js';

const HELP = `usage: ida-catalog crawl [options]

Harvests the repositories named in the sources file into the catalog folder (workflows.json,
repositories.json, previews/, media/, state.json). Incremental: unchanged repositories cost one
git ls-remote and a 304 from the API.

options:
  --config PATH          sources file (default catalog/sources.yaml)
  --out DIR              catalog folder (default catalog)
  --only ID              crawl only this source (repeatable; ids as in the summary)
  --concurrency N        repositories in flight (default 4)
  --shard I/N            crawl only shard I of N (repositories by a hash of their URL) into a copy of
                         the catalog folder; \`ida-catalog merge\` joins the N folders into the catalog
  --no-api               git only: no GitHub, Zenodo or Docker Hub API calls (API-only fields are null;
                         Zenodo sources keep the records they had, images are kept, stale)
  --insteadof BASE=URL   git url.BASE.insteadOf URL, e.g. file:///srv/mirror/=https://github.com/ (repeatable)
  --allow-protocol P     also allow git protocol P (https is always allowed; repeatable)
  --force                re-extract every repository even if unchanged, and rebuild from scratch any
                         previous catalog file (workflows.json, repositories.json, state.json) that is
                         not valid (without --force such a file stops the crawl, exit 2, nothing written)
  --strict               exit 1 when any source failed or is stale
  --progress MODE        bar | lines | none (default: bar on a terminal, lines otherwise)

environment: GITHUB_TOKEN (recommended; 60 requests/hour without), GITHUB_API_URL (default https://api.github.com),
  ZENODO_API_URL (default https://zenodo.org/api),
  DOCKERHUB_API_URL (default https://hub.docker.com), DOCKER_REGISTRY_URL (default https://registry-1.docker.io),
  DOCKER_AUTH_URL (default https://auth.docker.io): dockerhub sources, read anonymously`;

function parseRewrite(value: string): UrlRewrite | null {
  const at = value.indexOf('=');
  if (at <= 0 || at === value.length - 1) return null;
  return { base: value.slice(0, at), insteadOf: value.slice(at + 1) };
}

export function formatSummary(summaries: SourceSummary[]): string[] {
  const lines = ['source summary:'];
  for (const s of summaries) {
    if (s.images !== undefined)
      lines.push(`  ${s.id}: ${s.status} — ${s.images} images (${s.changed} updated, ${s.unchanged} unchanged, ${s.removed} removed, ${s.stale} stale)`);
    else lines.push(
      `  ${s.id}: ${s.status} — ${s.repositories} repositories (${s.changed} updated, ${s.unchanged} unchanged, ${s.removed} removed, ${s.stale} stale), ${s.workflows} workflows`,
    );
    for (const error of s.errors.slice(0, 10)) lines.push(`    ! ${error}`);
    if (s.errors.length > 10) lines.push(`    ! … and ${s.errors.length - 10} more`);
    for (const warning of s.warnings.slice(0, 10)) lines.push(`    ~ ${warning}`);
    if (s.warnings.length > 10) lines.push(`    ~ … and ${s.warnings.length - 10} more`);
  }
  return lines;
}

export const crawlCommand: Command = {
  summary: 'harvest repositories into the catalog',
  async run(args) {
    const values = parseCommandArgs(
      'crawl',
      args,
      {
        config: { type: 'string', default: 'catalog/sources.yaml' },
        out: { type: 'string', default: 'catalog' },
        only: { type: 'string', multiple: true },
        concurrency: { type: 'string', default: '4' },
        'no-api': { type: 'boolean', default: false },
        insteadof: { type: 'string', multiple: true },
        'allow-protocol': { type: 'string', multiple: true },
        force: { type: 'boolean', default: false },
        strict: { type: 'boolean', default: false },
        progress: { type: 'string' },
        shard: { type: 'string' },
      },
      HELP,
    );
    if (typeof values === 'number') return values;
    const concurrency = Number(values.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
      console.error(`ida-catalog crawl: --concurrency must be a whole number from 1 to 64, got "${values.concurrency}"`);
      return 2;
    }
    const rewrites: UrlRewrite[] = [];
    for (const value of values.insteadof ?? []) {
      const rewrite = parseRewrite(value);
      if (!rewrite) {
        console.error(`ida-catalog crawl: --insteadof wants BASE=URL, e.g. file:///srv/mirror/=https://github.com/; got "${value}"`);
        return 2;
      }
      rewrites.push(rewrite);
    }
    const progress = values.progress ?? (process.stderr.isTTY ? 'bar' : 'lines');
    if (progress !== 'bar' && progress !== 'lines' && progress !== 'none') {
      console.error(`ida-catalog crawl: --progress must be bar, lines or none, got "${progress}"`);
      return 2;
    }
    const shard = values.shard === undefined ? undefined : parseShard(values.shard);
    if (shard && 'error' in shard) {
      console.error(`ida-catalog crawl: ${shard.error}`);
      return 2;
    }
    const token = process.env.GITHUB_TOKEN || undefined;
    const started = Date.now();
    const result = await crawl({
      config: values.config!,
      out: values.out!,
      only: (values.only ?? []).flatMap((v) => v.split(',')).filter(Boolean),
      concurrency,
      noApi: values['no-api'],
      strict: values.strict,
      force: values.force,
      shard,
      token,
      apiUrl: process.env.GITHUB_API_URL || undefined,
      dockerhub: {
        apiUrl: process.env.DOCKERHUB_API_URL || undefined,
        registryUrl: process.env.DOCKER_REGISTRY_URL || undefined,
        authUrl: process.env.DOCKER_AUTH_URL || undefined,
      },
      zenodoApiUrl: process.env.ZENODO_API_URL || undefined,
      git: { rewrites, protocols: ['https', ...(values['allow-protocol'] ?? [])] },
      progress,
    });
    for (const problem of result.problems) console.error(problem);
    if (result.problems.length > 0) return result.exitCode;
    for (const line of formatSummary(result.summaries)) console.log(line);
    const api = result.api;
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      api
        ? `GitHub API: ${api.requests} requests (${api.notModified} answered 304, free), ${api.rateLimitWaits} rate-limit waits; ${seconds}s`
        : `GitHub API: not used; ${seconds}s`,
    );
    if (result.dockerhub) console.log(`Docker Hub and registry: ${result.dockerhub.requests} requests, ${result.dockerhub.rateLimitWaits} rate-limit waits, ${result.dockerhub.retries} retries`);
    return result.exitCode;
  },
};
