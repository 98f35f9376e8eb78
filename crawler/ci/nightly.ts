/**
 * `npm run nightly -- [--dry-run]`: the nightly regeneration as one command the workflow only calls.
 * crawl → validate → decide (crawler/ci/guard.ts) → act: nothing, a commit pushed to the branch (retried
 * when the branch moved meanwhile), or a branch and a pull request for a human. `--dry-run` crawls into a
 * copy of the catalog and prints what it would do and why, touching nothing.
 * Past one runner: `--plan` prints the shard matrix the committed catalog calls for (`shards=[1,2]`), and
 * `--parts DIR…` takes the night's catalog from the shards' parts (`ida-catalog merge`) instead of crawling.
 * The facility probe (`ida-catalog probe`) runs between crawl and validate, into the same folder: its
 * facility-status.json is committed with the catalog under the same guard. A probe that fails, or reaches no
 * facility at all, leaves the committed file as it was; it never stops the night's catalog.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { appendFile, cp, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import { Octokit } from '@octokit/rest';
import { CATALOG_DIRS, CATALOG_FILES, FACILITY_STATUS_FILE } from '../../catalog/contract/index.js';
import { validateCatalog, validateFacilities } from '../../catalog/validate/index.js';
import { readPrevious } from '../crawl/previous.js';
import { STATE_FILE } from '../crawl/state.js';
import { DEFAULT_LIMITS, decide, decisionMarkdown, type CatalogSnapshot, type Decision, type GuardLimits } from './guard.js';

const run = promisify(execFile);

/** The generated part of catalog/: what a crawl writes and a nightly commits. */
export const GENERATED = [CATALOG_FILES.workflows, CATALOG_FILES.repositories, CATALOG_FILES.images, FACILITY_STATUS_FILE, STATE_FILE, CATALOG_DIRS.previews, CATALOG_DIRS.media];

async function generatedFiles(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const name of GENERATED) {
    const full = path.join(dir, name);
    const entries = await readdir(full, { withFileTypes: true, recursive: true }).catch(() => null);
    const paths = entries ? entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name)) : [full];
    for (const file of paths) {
      const bytes = await readFile(file).catch(() => null);
      if (bytes) files.set(path.relative(dir, file).split(path.sep).join('/'), createHash('sha256').update(bytes).digest('hex'));
    }
  }
  return files;
}

/** A catalog folder as the guard compares it. A missing file is empty; a corrupt one is an error. */
export async function readSnapshot(dir: string): Promise<CatalogSnapshot> {
  // Read as the crawl reads its previous catalog: through the contract, a broken file named with its position.
  const { previous, problems } = await readPrevious(dir);
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return { workflows: previous.workflows, repositories: previous.repositories, files: await generatedFiles(dir) };
}

export type GitHubTarget = { apiUrl: string; token: string; repository: string };

export type NightlyOptions = {
  /** The git checkout the catalog lives in. */
  repo: string;
  /** Catalog folder, relative to repo. */
  catalog: string;
  facilities: string;
  /** Runs the crawl into `out` (the catalog folder itself, or its copy on a dry run); resolves to its exit code. */
  crawl: (out: string) => Promise<number>;
  /** Runs the facility probe into `out` (writes facility-status.json); resolves to its exit code. */
  probe?: (out: string) => Promise<number>;
  dryRun: boolean;
  limits?: GuardLimits;
  /** Branch pushed to (default main) and the remote (default origin). */
  branch?: string;
  remote?: string;
  /** Where pull requests are opened; required for the pull-request action. */
  github?: GitHubTarget;
  now?: Date;
  log?: (line: string) => void;
  /** Job summary file ($GITHUB_STEP_SUMMARY). */
  summaryFile?: string;
};

export type NightlyResult = { exitCode: number; decision: Decision | null; pullRequest?: string };

const BOT = ['-c', 'user.name=ida-catalog bot', '-c', 'user.email=41898282+github-actions[bot]@users.noreply.github.com'];

async function git(repo: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('git', [...BOT, ...args], { cwd: repo, maxBuffer: 64 * 1024 * 1024 });
  return stdout.trim();
}

async function commitCatalog(options: NightlyOptions, message: string): Promise<void> {
  // Only paths that exist or are tracked: git refuses a pathspec that matches nothing (images.json, say).
  const paths: string[] = [];
  for (const name of GENERATED.map((file) => path.join(options.catalog, file))) {
    if (existsSync(path.join(options.repo, name)) || (await git(options.repo, 'ls-files', '--', name)) !== '') paths.push(name);
  }
  await git(options.repo, 'add', '-A', '--', ...paths);
  await git(options.repo, 'commit', '-q', '-m', message);
}

/** Pushes HEAD to the branch; when the branch moved meanwhile, rebases onto it and tries again (3 times). */
async function pushWithRetry(options: NightlyOptions, log: (line: string) => void): Promise<void> {
  const remote = options.remote ?? 'origin';
  const branch = options.branch ?? 'main';
  for (let attempt = 1; ; attempt++) {
    try {
      await git(options.repo, 'push', '-q', remote, `HEAD:refs/heads/${branch}`);
      return;
    } catch (error) {
      if (attempt >= 3) throw error;
      log(`nightly: push rejected (attempt ${attempt}); the branch moved, rebasing onto ${remote}/${branch}`);
      await git(options.repo, 'pull', '-q', '--rebase', remote, branch);
    }
  }
}

async function openPullRequest(options: NightlyOptions, decision: Decision, markdown: string, log: (line: string) => void): Promise<string> {
  if (!options.github) throw new Error('the change needs a pull request, but no GitHub repository is configured (GITHUB_REPOSITORY, GITHUB_TOKEN)');
  const day = (options.now ?? new Date()).toISOString().slice(0, 10);
  const head = `nightly/catalog-${day}`;
  const base = options.branch ?? 'main';
  await git(options.repo, 'checkout', '-q', '-B', head);
  await commitCatalog(options, decision.message);
  await git(options.repo, 'push', '-q', '--force', options.remote ?? 'origin', `HEAD:refs/heads/${head}`);
  const [owner, repo] = options.github.repository.split('/') as [string, string];
  const octokit = new Octokit({ auth: options.github.token, baseUrl: options.github.apiUrl, log: { debug() {}, info() {}, warn() {}, error() {} } });
  const body = `The nightly crawl changed more than it may commit on its own, so it asks for a review.\n\n${markdown}\n\nMerge when the change is right (a source really moved or shrank); otherwise fix the source in catalog/sources.yaml and close this.`;
  const { data } = await octokit.rest.pulls.create({ owner, repo, head, base, title: decision.message.split('\n')[0]!, body });
  log(`nightly: opened ${data.html_url}`);
  return data.html_url;
}

export async function runNightly(options: NightlyOptions): Promise<NightlyResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const catalogDir = path.join(options.repo, options.catalog);
  const before = await readSnapshot(catalogDir);
  let out = catalogDir;
  let scratch: string | null = null;
  if (options.dryRun) {
    scratch = await mkdtemp(path.join(os.tmpdir(), 'ida-nightly-'));
    out = path.join(scratch, 'catalog');
    await cp(catalogDir, out, { recursive: true });
  }
  try {
    log(`nightly: crawl into ${options.dryRun ? `a copy of ${options.catalog} (dry run)` : options.catalog}`);
    const crawled = await options.crawl(out);
    // Exit 2: the crawl (or the merge of shard parts) could not start and wrote nothing; there is nothing to decide.
    if (crawled === 2) {
      log('nightly: the crawl stopped before writing anything (see above): nothing is committed');
      return { exitCode: 2, decision: null };
    }
    if (crawled !== 0) log(`nightly: the crawl exited ${crawled}; its per-source summary above says what failed (failing sources keep their records)`);
    if (options.probe) {
      log('nightly: facility probe');
      const probed = await options.probe(out).catch((error: Error) => {
        log(`nightly: the facility probe failed: ${error.message}`);
        return 1;
      });
      if (probed !== 0) log(`nightly: the facility probe exited ${probed}: ${FACILITY_STATUS_FILE} keeps its last observations`);
    } else {
      log('nightly: facility probe: not configured for this run');
    }
    const { problems } = await validateCatalog(out);
    const facilities = validateFacilities(await readFile(path.join(options.repo, options.facilities), 'utf8'), options.facilities).problems;
    if (problems.length + facilities.length > 0) {
      for (const problem of [...facilities, ...problems]) log(problem.text);
      log('nightly: the catalog or the facilities do not validate: nothing is committed');
      return { exitCode: 1, decision: null };
    }
    const decision = decide(before, await readSnapshot(out), options.limits ?? DEFAULT_LIMITS, options.now);
    const markdown = decisionMarkdown(decision, decision.changedFiles.length ? [`${decision.changedFiles.length} files changed.`] : []);
    if (options.summaryFile) await appendFile(options.summaryFile, `${markdown}\n`);
    const would = { nothing: 'do nothing', push: `commit to ${options.branch ?? 'main'} and push`, 'pull-request': 'open a pull request' }[decision.action];
    log(`nightly: ${options.dryRun ? 'would ' : ''}${would}, because:`);
    for (const reason of decision.reasons) log(`  - ${reason}`);
    for (const line of decision.message.split('\n').slice(2)) if (line) log(`  ${line}`);
    if (options.dryRun || decision.action === 'nothing') return { exitCode: 0, decision };
    if (decision.action === 'push') {
      await commitCatalog(options, decision.message);
      await pushWithRetry(options, log);
      log(`nightly: pushed to ${options.branch ?? 'main'}`);
      return { exitCode: 0, decision };
    }
    return { exitCode: 0, decision, pullRequest: await openPullRequest(options, decision, markdown, log) };
  } finally {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}

/** Repositories one runner crawls in a night before the crawl is split into shards (and at most this many shards). */
export const REPOSITORIES_PER_SHARD = 500;
export const MAX_SHARDS = 8;

/** The shard numbers the nightly crawls in parallel, for a catalog of this many repositories: [1] keeps one runner. */
export function shardPlan(repositories: number): number[] {
  const count = Math.min(MAX_SHARDS, Math.max(1, Math.ceil(repositories / REPOSITORIES_PER_SHARD)));
  return Array.from({ length: count }, (_, index) => index + 1);
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'dry-run': { type: 'boolean', default: false },
      plan: { type: 'boolean', default: false },
      parts: { type: 'boolean', default: false },
      config: { type: 'string', default: 'catalog/sources.yaml' },
      catalog: { type: 'string', default: 'catalog' },
      facilities: { type: 'string', default: 'facilities.yaml' },
      'max-removed-fraction': { type: 'string', default: String(DEFAULT_LIMITS.maxRemovedFraction) },
      force: { type: 'boolean', default: false },
    },
  });
  const fraction = Number(values['max-removed-fraction']);
  if (!(fraction >= 0 && fraction <= 1)) {
    console.error('nightly: --max-removed-fraction must be a number from 0 to 1');
    return 2;
  }
  if (values.plan) {
    // For the workflow's matrix: how many shards the committed catalog calls for.
    const { repositories } = await readSnapshot(path.join(process.cwd(), values.catalog!));
    console.log(`shards=${JSON.stringify(shardPlan(repositories.length))}`);
    return 0;
  }
  if (values.parts && positionals.length === 0) {
    console.error('nightly: --parts needs the folders of every shard, e.g. npm run nightly -- --parts parts/*');
    return 2;
  }
  const { crawl } = await import('../crawl/run.js');
  const { mergeShards } = await import('../crawl/merge-files.js');
  const { formatSummary } = await import('../cli/crawl.js');
  const { runProbe } = await import('../probe/run.js');
  const token = process.env.GITHUB_TOKEN;
  const apiUrl = process.env.GITHUB_API_URL ?? 'https://api.github.com';
  const result = await runNightly({
    repo: process.cwd(),
    catalog: values.catalog!,
    facilities: values.facilities!,
    dryRun: values['dry-run']!,
    limits: { ...DEFAULT_LIMITS, maxRemovedFraction: fraction },
    github: token && process.env.GITHUB_REPOSITORY ? { apiUrl, token, repository: process.env.GITHUB_REPOSITORY } : undefined,
    summaryFile: process.env.GITHUB_STEP_SUMMARY,
    probe: async (out) => (await runProbe({ facilities: values.facilities!, out })).exitCode,
    crawl: async (out) => {
      if (values.parts) {
        // The shards crawled in parallel jobs; their parts become the night's catalog as one crawl would write it.
        const merged = await mergeShards(positionals, out);
        for (const problem of merged.problems) console.error(problem);
        for (const line of formatSummary(merged.summaries)) console.log(line);
        return merged.exitCode;
      }
      const crawled = await crawl({ config: values.config!, out, token, apiUrl: process.env.GITHUB_API_URL, force: values.force, progress: 'lines', log: (line) => console.log(line) });
      for (const problem of crawled.problems) console.error(problem);
      for (const line of formatSummary(crawled.summaries)) console.log(line);
      return crawled.exitCode;
    },
  });
  if (process.env.GITHUB_OUTPUT && result.decision) await appendFile(process.env.GITHUB_OUTPUT, `action=${result.decision.action}\n`);
  return result.exitCode;
}

if (process.argv[1] && process.argv[1] === import.meta.filename) {
  process.exitCode = await main().catch((error: Error) => {
    console.error(`nightly: ${error.message}`);
    return 1;
  });
}
