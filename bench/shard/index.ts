/**
 * Crawling past one runner (issue #19): a loopback org of 1,000 small repositories (real git repositories,
 * file:// behind insteadOf, listed by the loopback GitHub API), crawled from scratch by one runner and by
 * 2 and 4 shards run concurrently (one process each, as separate runners would be), then merged.
 * Then the nightly case, an unchanged re-crawl, the same way (the shards start from the merged catalog).
 * Prints the wall time of each against the single runner (ratio), the merge's own cost, and checks the
 * merged catalog equals the single crawl's (every file byte for byte; state.json modulo timestamps).
 * The runners here share this machine's cores, so the ratio is a floor on what separate machines give.
 * BENCH_SHARD_REPOS changes the org's size (for a quick look); BENCH_KEEP=1 keeps the temporary folder.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { snapshot } from '../../test/crawler/world.js';
import { commitFiles, notebook } from '../../test/support/github-server/git.js';
import { startGitHubServer } from '../../test/support/github-server/index.js';

const REPOS = Number(process.env.BENCH_SHARD_REPOS ?? 1000);
const here = path.dirname(fileURLToPath(import.meta.url));
const cli = path.join(here, '..', '..', 'bin', 'ida-catalog.mjs');
const root = mkdtempSync(path.join(os.tmpdir(), 'ida-bench-shard-'));
const mirrors = path.join(root, 'mirrors');
const template = path.join(root, 'template');
commitFiles(template, { 'analysis.ipynb': notebook('Shard bench analysis'), 'requirements.txt': 'numpy\n', 'README.md': '# Shard bench\n' });
const names: string[] = [];
for (let i = 0; i < REPOS; i += 1) {
  const name = `repo-${String(i).padStart(4, '0')}`;
  cpSync(template, path.join(mirrors, 'shard-org', name), { recursive: true });
  names.push(name);
}
const server = await startGitHubServer({ repos: names.map((name) => ({ owner: 'shard-org', name, stars: 1 })) });
const config = path.join(root, 'sources.yaml');
writeFileSync(config, 'sources:\n  - github: {org: shard-org}\n');

/** `ida-catalog ARGS…` in its own process; resolves to its wall time in ms. */
function runCli(args: string[]): Promise<number> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, GITHUB_API_URL: server.url, GITHUB_TOKEN: '' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Date.now() - started) : reject(new Error(`ida-catalog ${args[0]} exited ${code}: ${stderr}`))));
  });
}

const crawlArgs = (out: string) => ['crawl', '--config', config, '--out', out, '--insteadof', `${pathToFileURL(mirrors).href}/=https://github.com/`, '--allow-protocol', 'file', '--progress', 'none'];
const seconds = (ms: number) => (ms / 1000).toFixed(1);
/** state.json without its timestamps (seenAt and the like differ between runs by design). */
const stateWithoutTimes = (dir: string) => readFileSync(path.join(dir, 'state.json'), 'utf8').replace(/"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"/g, '"T"');
let failures = 0;

try {
  const single = path.join(root, 'single');
  mkdirSync(single);
  const singleMs = await runCli(crawlArgs(single));
  const workflows = (JSON.parse(readFileSync(path.join(single, 'workflows.json'), 'utf8')) as { items: unknown[] }).items.length;
  console.log(`one runner: ${REPOS} repositories, ${workflows} workflows, ${seconds(singleMs)} s (${(REPOS / (singleMs / 1000)).toFixed(1)} repos/s)`);
  if (workflows !== REPOS) failures += 1;
  const expected = snapshot(single);
  delete expected['state.json'];

  /** Shards 1..count crawled concurrently, each into a copy of `from` (or an empty folder), then merged into `merged`. */
  const sharded = async (count: number, from: string | null, merged: string, baseMs: number, what: string) => {
    const parts = Array.from({ length: count }, (_, i) => path.join(root, `part-${count}-${i + 1}`));
    for (const part of parts) {
      rmSync(part, { recursive: true, force: true });
      if (from) cpSync(from, part, { recursive: true });
      else mkdirSync(part);
    }
    const started = Date.now();
    const shardMs = await Promise.all(parts.map((part, i) => runCli([...crawlArgs(part), '--shard', `${i + 1}/${count}`])));
    const crawlMs = Date.now() - started;
    const mergeMs = await runCli(['merge', ...parts, '--out', merged]);
    const got = snapshot(merged);
    delete got['state.json'];
    const same = JSON.stringify(got) === JSON.stringify(expected) && stateWithoutTimes(merged) === stateWithoutTimes(single);
    if (!same) failures += 1;
    console.log(
      `${what}, ${count} shards: slowest ${seconds(Math.max(...shardMs))} s (each ${shardMs.map(seconds).join(' / ')} s), all shards ${seconds(crawlMs)} s = ${(crawlMs / baseMs).toFixed(2)} × one runner; ` +
        `merge ${seconds(mergeMs)} s (${((mergeMs / baseMs) * 100).toFixed(1)}% of one runner, process start included); shards + merge ${((crawlMs + mergeMs) / baseMs).toFixed(2)} × one runner; ` +
        `merged catalog ${same ? 'equals' : 'DIFFERS FROM'} the single crawl`,
    );
  };
  for (const count of [2, 4]) await sharded(count, null, path.join(root, `merged-${count}`), singleMs, 'first crawl');

  // The nightly case: nothing changed. One runner re-crawls its catalog; the shards start from the merged one.
  const againMs = await runCli(crawlArgs(single));
  console.log(`re-crawl of ${REPOS} unchanged, one runner: ${seconds(againMs)} s`);
  for (const count of [2, 4]) await sharded(count, path.join(root, `merged-${count}`), path.join(root, `merged-${count}`), againMs, 're-crawl');
} finally {
  await server.close();
  if (process.env.BENCH_KEEP) console.log('kept', root);
  else rmSync(root, { recursive: true, force: true });
}
console.log(`cores: ${os.availableParallelism()}, load average ${os.loadavg().map((n) => n.toFixed(1)).join(' ')} (the runners share them)`);
console.log(failures === 0 ? 'shard bench: merged catalogs equal the single crawl' : `shard bench: ${failures} check(s) failed`);
process.exitCode = failures === 0 ? 0 : 1;
