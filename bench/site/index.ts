/**
 * Site benchmark (issue #5). In one run:
 *  1. generates a 10,000-workflow catalog varied from the corpus-modelled fixture records, every workflow
 *     with a notebook preview: the committed catalog's real previews (astropy tutorials, ESAP, binder
 *     examples, nbformat's tests, as the crawler extracted them from ../shared/corpus) in turn, media
 *     included; IDA_BENCH_PREVIEWS=fixture uses the small fixture preview instead (the figures before
 *     2026-11-26, which flattered the build: real previews are ~10× larger);
 *  2. builds a bare Astro 5 site of 10,000 trivial pages (baseline) and our site, alternately, IDA_BENCH_ROUNDS
 *     times (default 3) from cold caches, each into a folder of its own (nothing is deleted until the end),
 *     measuring wall time and peak RSS of each (GNU time), without raising Node's heap limit; the ratio is of the
 *     medians. Each round then builds both again on the caches their
 *     cold builds left, ours after 1% of the notebooks changed: a nightly build (CI keeps Astro's cache);
 *     our builds' phases (Astro's setup and content sync, bundling, page generation; the preview step, which
 *     overlaps the first two) are read from their logs;
 *  3. in Chromium: gzip bytes loaded before the first search result, and p95 query latency, for our
 *     flexsearch search and for Pagefind run over the same built site.
 * Goals (issue #18): cold build time ratio ≤ 3, nightly ≤ 1.5, peak RSS ≤ 1 GB; first-result bytes ≤ 300 kB gzip,
 * p95 ≤ 16 ms (issue #5).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { CATALOG_DIRS, NotebookPreview } from '../../catalog/contract/index.js';
import { launchChromium } from '../../test/support/browser.js';
import { projectRoot } from '../../test/support/build-site.js';
import { serveStatic } from '../../test/support/serve-static.js';
import { writeCatalog } from '../../test/fixtures/site/catalogs.js';
import { median, percentile } from '../stats.js';
import { changedPreview, variedCatalog } from './catalog.js';

const COUNT = Number(process.env.IDA_BENCH_WORKFLOWS ?? 10_000);
const ROUNDS = Number(process.env.IDA_BENCH_ROUNDS ?? 3);
const ASTRO = path.join(projectRoot, 'node_modules', 'astro', 'astro.js');
const QUERIES = ['c', 'co', 'coord', 'coordinates', 'astropy', 'fits', 'fits image', 'gaia', 'spectr', 'binder', 'numpy', 'galax', 'units quantities', 'vo', 'cross match', 'julia', 'r', 'seaborn plot', 'pyvo', 'data discovery'];

type Run = { seconds: number; peakMiB: number; phases: string };

/** Seconds in Astro's "✓ Completed in 1.40s." / "in 396ms" notation. */
function seconds(text: string | undefined): number {
  if (!text) return NaN;
  return text.endsWith('ms') ? Number(text.slice(0, -2)) / 1000 : Number(text.slice(0, -1));
}

/** The phases of one of our builds, from its log: Astro's setup (content sync included), bundling, pages; our preview step. */
function phasesOf(log: string): string {
  // eslint-disable-next-line no-control-regex
  const plain = log.replace(/\u001b\[[0-9;]*m/g, '');
  const completed = [...plain.matchAll(/✓ Completed in ([\d.]+m?s)/g)].map((match) => seconds(match[1]));
  const client = seconds(/building client[\s\S]*?✓ built in ([\d.]+m?s)/.exec(plain)?.[1]);
  const previews = /notebook previews: (\d+) from the build cache, (\d+) rendered, (\d+) removed, in ([\d.]+) s/.exec(plain);
  const pages = /(\d+) page\(s\) built/.exec(plain)?.[1];
  const figure = (value: number | undefined) => (value === undefined || Number.isNaN(value) ? '?' : `${value.toFixed(1)} s`);
  return `setup+sync ${figure(completed[0])}, bundling ${figure(completed[1])} + client ${figure(client)}, ${pages ?? '?'} pages ${figure(completed[2])}; preview step ${previews ? `${previews[4]} s (${previews[1]} cached, ${previews[2]} rendered, ${previews[3]} removed)` : '?'}`;
}

/** Runs `astro build` under GNU time; returns wall time, the peak RSS of the build process and its phases. */
async function timedBuild(cwd: string, env: NodeJS.ProcessEnv): Promise<Run> {
  // Each build starts with the file system's writes settled: otherwise a build pays for writing back the
  // previous one's output (ours writes ~250 MB, the bare site ~2 MB) and the alternation favours whichever
  // follows the smaller build.
  execFileSync('sync');
  const started = performance.now();
  let stdout = '';
  const stderr = await new Promise<string>((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', 'PEAK_KB=%M', process.execPath, ASTRO, 'build'], {
      cwd,
      env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (text += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`astro build failed in ${cwd} (exit ${code}):\n${text.slice(-3000)}`))));
  });
  const peak = Number(/PEAK_KB=(\d+)/.exec(stderr)?.[1] ?? NaN);
  return { seconds: (performance.now() - started) / 1000, peakMiB: peak / 1024, phases: phasesOf(stdout + stderr) };
}

async function bareSite(work: string, count: number): Promise<string> {
  const root = path.join(work, 'bare');
  await mkdir(path.join(root, 'src', 'pages'), { recursive: true });
  await symlink(path.join(projectRoot, 'node_modules'), path.join(root, 'node_modules'));
  await writeFile(path.join(root, 'package.json'), '{"type":"module","private":true}\n');
  // Its own cache folder: node_modules is the project's (a symlink), and so would be the default cacheDir.
  // Both folders are per build (see main): BARE_OUT_DIR, BARE_CACHE_DIR.
  await writeFile(
    path.join(root, 'astro.config.mjs'),
    "import { defineConfig } from 'astro/config';\nexport default defineConfig({ output: 'static', outDir: process.env.BARE_OUT_DIR, cacheDir: process.env.BARE_CACHE_DIR });\n",
  );
  await writeFile(
    path.join(root, 'src', 'pages', '[n].astro'),
    `---\nexport function getStaticPaths() { return Array.from({ length: ${count} }, (_, n) => ({ params: { n: String(n) } })); }\nconst { n } = Astro.params;\n---\n<html lang="en"><head><title>Page {n}</title></head><body><h1>Page {n}</h1></body></html>\n`,
  );
  return root;
}

/** Records every same-origin request a page (and its workers) makes, to sum what it loaded. */
function recordRequests(page: Page, origin: string): Set<string> {
  const urls = new Set<string>();
  page.context().on('request', (request) => {
    if (request.url().startsWith(origin)) urls.add(request.url());
  });
  return urls;
}

/** Gzip bytes of the given URLs, read from dist and compressed as a static host would. */
async function gzipBytes(urls: Iterable<string>, dist: string): Promise<{ bytes: number; files: number }> {
  let bytes = 0;
  let files = 0;
  for (const url of urls) {
    let file = path.join(dist, decodeURIComponent(new URL(url).pathname));
    if (file.endsWith('/')) file = path.join(file, 'index.html');
    if (!existsSync(file)) continue;
    bytes += gzipSync(await readFile(file)).length;
    files += 1;
  }
  return { bytes, files };
}

/** The committed catalog's notebook previews: real notebooks, as the crawler extracted them. */
async function committedPreviews(): Promise<NotebookPreview[]> {
  const folder = path.join(projectRoot, 'catalog', CATALOG_DIRS.previews);
  const files = (await readdir(folder)).filter((name) => name.endsWith('.json')).sort();
  return Promise.all(files.map(async (name) => NotebookPreview.parse(JSON.parse(await readFile(path.join(folder, name), 'utf8')))));
}

async function main(): Promise<void> {
  const work = await mkdtemp(path.join(tmpdir(), 'ida-bench-site-'));
  try {
    const real = process.env.IDA_BENCH_PREVIEWS === 'fixture' ? [] : await committedPreviews();
    console.log(`generating ${COUNT} workflows, each with a notebook preview (${real.length > 0 ? `the committed catalog's ${real.length} real previews in turn` : 'the small fixture preview'})…`);
    const { workflows, previews } = variedCatalog(COUNT, real);
    const catalogDir = await writeCatalog(path.join(work, 'catalog'), workflows, previews);
    await cp(path.join(projectRoot, 'catalog', CATALOG_DIRS.media), path.join(catalogDir, CATALOG_DIRS.media), { recursive: true });

    // Bare and ours alternate, each round from a cold cache, so a busy spell on the (shared) machine hits
    // both sides alike; the figure is the ratio of the medians. Then each builds again on the cache its cold
    // build left, as a nightly build does (CI keeps Astro's cache folder), after 1% of the notebooks changed.
    // Every build writes into a folder of its own and nothing is deleted until the end: a build that follows
    // the deletion of thousands of files pays for it (ext4 skips inodes freed in the last minutes, one by one,
    // when it allocates new ones), ~5 s on this machine, which the bare site's 10-second build feels far more
    // than ours. A fresh CI runner has no such deletions behind it.
    const bare = await bareSite(work, COUNT);
    const nightly = previews.filter((_, index) => index % 100 === 0);
    const runs = { bare: [] as Run[], ours: [] as Run[], bareWarm: [] as Run[], oursWarm: [] as Run[] };
    for (let round = 1; round <= ROUNDS; round += 1) {
      const bareEnv = (build: string) => ({ BARE_OUT_DIR: path.join(bare, `dist-${round}-${build}`), BARE_CACHE_DIR: path.join(bare, `cache-${round}`) });
      const baseline = await timedBuild(bare, bareEnv('cold'));
      const cache = path.join(work, `cache-${round}`);
      const ourEnv = (build: string) => ({ IDA_CATALOG_DIR: catalogDir, IDA_OUT_DIR: path.join(work, `dist-${round}-${build}`), IDA_CACHE_DIR: cache });
      const ours = await timedBuild(projectRoot, ourEnv('cold'));
      runs.bare.push(baseline);
      runs.ours.push(ours);
      console.log(`round ${round}, cold: bare Astro, ${COUNT} trivial pages ${baseline.seconds.toFixed(1)} s (peak RSS ${baseline.peakMiB.toFixed(0)} MiB); ida-catalog, ${COUNT} workflows ${ours.seconds.toFixed(1)} s (peak RSS ${ours.peakMiB.toFixed(0)} MiB); ratio ${(ours.seconds / baseline.seconds).toFixed(2)}`);
      console.log(`  phases: ${ours.phases}`);

      const bareWarm = await timedBuild(bare, bareEnv('warm'));
      for (const preview of nightly) await writeFile(path.join(catalogDir, CATALOG_DIRS.previews, `${preview.id}.json`), JSON.stringify(changedPreview(preview, round)));
      const oursWarm = await timedBuild(projectRoot, ourEnv('warm'));
      for (const preview of nightly) await writeFile(path.join(catalogDir, CATALOG_DIRS.previews, `${preview.id}.json`), JSON.stringify(preview));
      runs.bareWarm.push(bareWarm);
      runs.oursWarm.push(oursWarm);
      console.log(`round ${round}, warm (nightly, ${nightly.length} notebooks changed): bare ${bareWarm.seconds.toFixed(1)} s; ida-catalog ${oursWarm.seconds.toFixed(1)} s (peak RSS ${oursWarm.peakMiB.toFixed(0)} MiB); ratio ${(oursWarm.seconds / bareWarm.seconds).toFixed(2)}`);
      console.log(`  phases: ${oursWarm.phases}`);
    }
    const medianSeconds = (list: Run[]) => median(list.map((run) => run.seconds));
    const ourPeak = Math.max(...[...runs.ours, ...runs.oursWarm].map((run) => run.peakMiB));
    const barePeak = Math.max(...runs.bare.map((run) => run.peakMiB));
    const ratio = (ours: Run[], bare: Run[]) => medianSeconds(ours) / medianSeconds(bare);
    console.log(`build time, cold, median of ${ROUNDS}: bare ${medianSeconds(runs.bare).toFixed(1)} s, ida-catalog ${medianSeconds(runs.ours).toFixed(1)} s → ratio ${ratio(runs.ours, runs.bare).toFixed(2)} (goal ≤ 3)`);
    console.log(`build time, warm (nightly), median of ${ROUNDS}: bare ${medianSeconds(runs.bareWarm).toFixed(1)} s, ida-catalog ${medianSeconds(runs.oursWarm).toFixed(1)} s → ratio ${ratio(runs.oursWarm, runs.bareWarm).toFixed(2)} (goal ≤ 1.5)`);
    console.log(`  peak RSS (max over rounds): ida-catalog ${ourPeak.toFixed(0)} MiB ${ourPeak <= 1024 ? '≤' : '>'} 1 GB; bare ${barePeak.toFixed(0)} MiB; ratio ${(ourPeak / barePeak).toFixed(2)}`);
    console.log(`  load average: ${loadavg().map((value) => value.toFixed(1)).join(' / ')} on ${availableParallelism()} cores`);

    // The browser measures the site the last build wrote.
    const dist = path.join(work, `dist-${ROUNDS}-warm`);
    const pagefindStarted = performance.now();
    await new Promise<void>((resolve, reject) => {
      const child = spawn(path.join(projectRoot, 'node_modules', '.bin', 'pagefind'), ['--site', dist, '--glob', 'workflows/**/*.html', '--output-subdir', 'pagefind'], { stdio: 'ignore' });
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`pagefind exit ${code}`))));
    });
    console.log(`pagefind indexing of the built site: ${((performance.now() - pagefindStarted) / 1000).toFixed(1)} s`);
    await writeFile(path.join(dist, 'pagefind-bench.html'), '<!doctype html><html lang="en"><head><title>pagefind</title></head><body><h1>pagefind</h1></body></html>');

    const browser = await launchChromium('bench/site');
    if (!browser) throw new Error('Chromium is needed for the browser half of the benchmark');
    const server = await serveStatic(dist);
    try {
      // ours: open the home page, type a query, wait for the first result card.
      const ourCold: number[] = [];
      const ourWarm: number[] = [];
      const page = await (await browser.newContext()).newPage();
      const ourRequests = recordRequests(page, server.url);
      await page.goto(`${server.url}/`, { waitUntil: 'load' });
      await page.locator('#q').fill('coordinates');
      await page.waitForFunction(() => /for “coordinates”/.test(document.querySelector('#results-heading')?.textContent ?? '') && document.querySelector('#results .card'));
      const ourBytes = await gzipBytes(ourRequests, dist);
      type Hook = { idaCatalogSearch: { prepare: (q: string) => Promise<void>; run: (q: string) => number } };
      for (let round = 0; round < 10; round += 1) {
        for (const query of QUERIES) {
          // Cold (first round): fetch the query's index shards, then search. Warm: search only.
          const timing = await page.evaluate(async (q) => {
            const search = (window as unknown as Hook).idaCatalogSearch;
            const started = performance.now();
            await search.prepare(q);
            const prepared = performance.now();
            search.run(q);
            return { total: performance.now() - started, run: performance.now() - prepared };
          }, query);
          if (round === 0) ourCold.push(timing.total);
          else ourWarm.push(timing.run);
        }
      }
      await page.close();

      // Pagefind: load its library, search, and fetch the first result's data (what a card needs).
      const pf = await (await browser.newContext()).newPage();
      const pfRequests = recordRequests(pf, server.url);
      await pf.goto(`${server.url}/pagefind-bench.html`, { waitUntil: 'load' });
      const firstTitle = await pf.evaluate(async () => {
        const pagefind = await import(`${location.origin}/pagefind/pagefind.js`);
        await pagefind.init();
        (window as unknown as { pf: unknown }).pf = pagefind;
        const search = await pagefind.search('coordinates');
        const first = await search.results[0]?.data();
        return String(first?.meta?.title ?? '');
      });
      const pfBytes = await gzipBytes(pfRequests, dist);
      const pfCold: number[] = [];
      const pfWarm: number[] = [];
      for (let round = 0; round < 4; round += 1) {
        for (const query of QUERIES) {
          const elapsed = await pf.evaluate(async (q) => {
            const started = performance.now();
            const pagefind = (window as unknown as { pf: { search: (q: string) => Promise<{ results: Array<{ data: () => Promise<unknown> }> }> } }).pf;
            const search = await pagefind.search(q);
            // A result list needs each shown result's title: Pagefind keeps those in per-page fragments.
            await Promise.all(search.results.slice(0, 10).map((result) => result.data()));
            return performance.now() - started;
          }, query);
          (round === 0 ? pfCold : pfWarm).push(elapsed);
        }
      }
      await pf.close();
      const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} kB`;
      console.log(`first search result, ours: ${kb(ourBytes.bytes)} gzip in ${ourBytes.files} files (goal ≤ 300 kB); pagefind: ${kb(pfBytes.bytes)} in ${pfBytes.files} files (first hit "${firstTitle.slice(0, 60)}")`);
      console.log(`  bytes ratio ours/pagefind ${(ourBytes.bytes / pfBytes.bytes).toFixed(2)}`);
      const ms = (values: number[]) => `p95 ${percentile(values, 95).toFixed(2)} ms (median ${percentile(values, 50).toFixed(2)})`;
      console.log(`query latency, ours, warm (search, rank, facet counts over ${COUNT}): ${ms(ourWarm)}, goal p95 ≤ 16 ms`);
      console.log(`query latency, ours, cold (incl. fetching the query's index shards): ${ms(ourCold)}`);
      console.log(`query latency, pagefind, warm (search + first 10 result fragments): ${ms(pfWarm)}; cold: ${ms(pfCold)}`);
      console.log(`  p95 ratio ours/pagefind: warm ${(percentile(ourWarm, 95) / percentile(pfWarm, 95)).toFixed(3)}, cold ${(percentile(ourCold, 95) / percentile(pfCold, 95)).toFixed(3)}`);
    } finally {
      await browser.close();
      await server.close();
    }
  } finally {
    if (!process.env.IDA_BENCH_KEEP) await rm(work, { recursive: true, force: true });
    else console.log(`kept ${work}`);
  }
}

await main();
