/**
 * Crawl politeness and speed on the loopback GitHub API with real git repositories (file://).
 *   1. Re-crawl of N=200 unchanged repositories: non-304 requests ≤ ⌈N/100⌉, no clone, no blob.
 *   2. The N repositories named one by one, crawled fault-free and again with 10% injected faults (5xx,
 *      429 with retry-after, resets, secondary limits): the two catalogs must be byte-identical.
 *   3. 1,000 repositories named one by one (1,000 API calls): 0 secondary-limit responses provoked
 *      (the server answers one whenever more than 10 requests are in flight), ≤ 10 in flight,
 *      peak RSS ≤ 500 MB; repos/s.
 * Ratios are measured / budget (≤ 1 passes) or against the first crawl measured in the same run.
 * BENCH_CRAWL_N / BENCH_CRAWL_BIG change the sizes of steps 1–2 and 3 (for a quick look); BENCH_KEEP=1
 * keeps the temporary folder for inspection.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { crawl, type CrawlOptions } from '../../crawler/crawl/run.js';
import { snapshot } from '../../test/crawler/world.js';
import { commitFiles, notebook } from '../../test/support/github-server/git.js';
import { faultEvery, startGitHubServer, type FaultKind } from '../../test/support/github-server/index.js';

const N = Number(process.env.BENCH_CRAWL_N ?? 200);
const BIG = Number(process.env.BENCH_CRAWL_BIG ?? 1000);
const root = mkdtempSync(path.join(os.tmpdir(), 'ida-bench-crawl-'));
const mirrors = path.join(root, 'mirrors');
const template = path.join(root, 'template');
commitFiles(template, { 'analysis.ipynb': notebook('Benchmark analysis'), 'requirements.txt': 'numpy\n', 'README.md': '# Bench\n', 'data.bin': Buffer.alloc(32 * 1024, 3) });

function mirror(owner: string, count: number): string[] {
  const names: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const name = `repo-${String(i).padStart(4, '0')}`;
    cpSync(template, path.join(mirrors, owner, name), { recursive: true });
    names.push(name);
  }
  return names;
}

const small = mirror('bench-org', N);
const big = mirror('big-org', BIG);
let fault: ((p: string, n: number) => FaultKind | null) | null = null;
const server = await startGitHubServer({
  repos: [...small.map((name) => ({ owner: 'bench-org', name, stars: 1 })), ...big.map((name) => ({ owner: 'big-org', name, stars: 2 }))],
  latencyMs: 5,
  retryAfter: 1,
  secondaryLimitConcurrency: 10,
  fault: (p, n) => fault?.(p, n) ?? null,
});

function options(out: string, config: string): CrawlOptions {
  return {
    config,
    out,
    apiUrl: server.url,
    git: { rewrites: [{ base: `${pathToFileURL(mirrors).href}/`, insteadOf: 'https://github.com/' }], protocols: ['https', 'file'] },
    github: { retryAfterBaseValue: 20, retries: 8 },
    concurrency: 4,
    log: () => {},
    now: () => new Date('2026-01-01T00:00:00Z'),
  };
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);
const ratio = (a: number, b: number) => (b === 0 ? (a === 0 ? '0.00' : '∞') : (a / b).toFixed(2));
let failures = 0;
const check = (ok: boolean, what: string) => {
  if (!ok) {
    failures += 1;
    console.log(`  FAIL: ${what}`);
  }
};

try {
  // 1. first crawl, then the unchanged re-crawl
  const smallConfig = path.join(root, 'small.yaml');
  writeFileSync(smallConfig, 'sources:\n  - github: {org: bench-org}\n');
  const outA = path.join(root, 'out-a');
  mkdirSync(outA);
  let started = Date.now();
  const first = await crawl(options(outA, smallConfig));
  const firstMs = Date.now() - started;
  server.resetStats();
  started = Date.now();
  const again = await crawl(options(outA, smallConfig));
  const againMs = Date.now() - started;
  const budget = Math.ceil(N / 100);
  console.log(`first crawl of ${N} repositories: ${seconds(firstMs)} s (${(N / (firstMs / 1000)).toFixed(1)} repos/s), ${first.git.clones} clones, ${first.git.blobsFetched} blobs`);
  console.log(
    `re-crawl of ${N} unchanged: ${server.stats.counted} non-304 requests (budget ⌈N/100⌉ = ${budget}; ratio ${ratio(server.stats.counted, budget)}), ` +
      `${server.stats.notModified} answered 304, ${again.git.clones} clones, ${again.git.blobsFetched} blobs; ${seconds(againMs)} s = ${ratio(againMs, firstMs)} × the first crawl`,
  );
  check(server.stats.counted <= budget, 'non-304 requests over budget');
  check(again.git.clones === 0 && again.git.blobsFetched === 0, 'the re-crawl cloned or fetched blobs');

  // 2. the same crawl from scratch with 10% faults
  const outB = path.join(root, 'out-b');
  mkdirSync(outB);
  // one repository per request: enough requests for the faults to matter
  const perRepoConfig = path.join(root, 'per-repo.yaml');
  writeFileSync(perRepoConfig, `sources:\n${small.map((name) => `  - github: {repo: bench-org/${name}}\n`).join('')}`);
  const outClean = path.join(root, 'out-clean');
  mkdirSync(outClean);
  fault = null;
  await crawl(options(outClean, perRepoConfig));
  server.resetStats();
  fault = faultEvery(0.1, ['500', '502', '429', 'reset', 'secondary'], 42);
  const faulty = await crawl(options(outB, perRepoConfig));
  fault = null;
  const identical = JSON.stringify(snapshot(outB)) === JSON.stringify(snapshot(outClean));
  console.log(
    `10% faults: ${server.stats.faults} injected in ${server.stats.requests} requests; sources ok ${faulty.summaries.filter((s) => s.status === 'ok').length}/${faulty.summaries.length}; catalog identical to the fault-free crawl: ${identical ? 'yes' : 'NO'}`,
  );
  if (!identical) {
    const [a, b] = [snapshot(outB), snapshot(outClean)];
    const differing = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => a[k] !== b[k]);
    console.log(`  differing files: ${differing.slice(0, 5).join(', ')}`);
    for (const s of faulty.summaries.filter((x) => x.errors.length)) console.log(`  ${s.id}: ${s.errors.join('; ')}`);
  }
  check(identical, 'faulty crawl differs from the fault-free crawl');

  // 3. 1,000 repositories, one API call each
  const bigConfig = path.join(root, 'big.yaml');
  writeFileSync(bigConfig, `sources:\n${big.map((name) => `  - github: {repo: big-org/${name}}\n`).join('')}`);
  const outC = path.join(root, 'out-c');
  mkdirSync(outC);
  server.resetStats();
  started = Date.now();
  const bigRun = await crawl(options(outC, bigConfig));
  const bigMs = Date.now() - started;
  const rssMb = process.resourceUsage().maxRSS / 1024;
  const workflows = bigRun.summaries.reduce((n, s) => n + s.workflows, 0);
  console.log(
    `${BIG}-repository crawl: ${seconds(bigMs)} s, ${(BIG / (bigMs / 1000)).toFixed(1)} repos/s, ${workflows} workflows; ` +
      `secondary-limit responses ${server.stats.secondaryLimitResponses} (budget 0); max API requests in flight ${server.stats.maxInFlight} (budget 10; ratio ${ratio(server.stats.maxInFlight, 10)}); ` +
      `peak RSS ${rssMb.toFixed(0)} MB (budget 500; ratio ${ratio(rssMb, 500)})`,
  );
  check(server.stats.secondaryLimitResponses === 0, 'secondary-limit responses provoked');
  check(server.stats.maxInFlight <= 10, 'more than 10 API requests in flight');
  check(rssMb <= 500, 'peak RSS over 500 MB');
  check(workflows === BIG, `expected ${BIG} workflows`);
} finally {
  await server.close();
  if (process.env.BENCH_KEEP) console.log('kept', root); else rmSync(root, { recursive: true, force: true });
}
console.log(failures === 0 ? 'crawl bench: all budgets met' : `crawl bench: ${failures} budget(s) missed`);
process.exitCode = failures === 0 ? 0 : 1;
