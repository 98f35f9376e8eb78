/**
 * bench/extract: the extractor over the whole ../shared/corpus, repeated to a meaningful total, against the bare
 * baseline of the same run — fs.readFile + JSON.parse of the same notebook files. Goal: ratio ≤ 1.5.
 * Prints the ratio and peak memory (RSS). Not a test: it fails only if the corpus is missing.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { extractRepository } from '../../crawler/extract/index.js';
import { sharedCorpus } from '../../test/support/debian.js';
import { corpusUrl, snapshotOf } from '../../test/extract/snapshot.js';

const MIN_SECONDS = Number(process.env.BENCH_SECONDS ?? 2.5);

const corpus = sharedCorpus('bench/extract');
if (!corpus) process.exit(1);
const folders = (await readdir(corpus, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
const snapshots = await Promise.all(folders.map((folder) => snapshotOf(path.join(corpus, folder), corpusUrl(folder))));
const notebookFiles = snapshots.flatMap((snapshot, index) =>
  snapshot.files.filter((file) => /\.ipynb$/.test(file.path)).map((file) => path.join(corpus, folders[index]!, file.path)),
);
const totalBytes = snapshots.flatMap((snapshot) => snapshot.files).filter((file) => /\.ipynb$/.test(file.path)).reduce((sum, file) => sum + file.size, 0);

let peakRss = process.memoryUsage().rss;
const sampleRss = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};
const sampler = setInterval(sampleRss, 5);

async function baseline(): Promise<number> {
  let keys = 0;
  for (const file of notebookFiles) {
    try {
      keys += Object.keys(JSON.parse(await readFile(file, 'utf8')) as object).length;
    } catch {
      keys += 0; // invalid notebooks count too: the extractor reads them as well
    }
  }
  return keys;
}

async function extraction(): Promise<number> {
  let records = 0;
  for (const snapshot of snapshots) records += (await extractRepository(snapshot)).workflows.length;
  return records;
}

/** Alternates the two so both see the same machine state; repeats until each has run MIN_SECONDS. */
async function measure(): Promise<{ base: number; extract: number; rounds: number }> {
  await baseline();
  await extraction(); // warm-up: JIT and module loading out of the measurement
  let base = 0;
  let extract = 0;
  let rounds = 0;
  while (base < MIN_SECONDS * 1000 || extract < MIN_SECONDS * 1000) {
    let start = performance.now();
    await baseline();
    base += performance.now() - start;
    start = performance.now();
    await extraction();
    extract += performance.now() - start;
    rounds++;
    sampleRss();
  }
  return { base, extract, rounds };
}

const { base, extract, rounds } = await measure();
clearInterval(sampler);
const ratio = extract / base;
console.log(`corpus: ${folders.length} repositories, ${notebookFiles.length} notebooks, ${(totalBytes / 1024 / 1024).toFixed(1)} MB; ${rounds} rounds`);
console.log(`baseline readFile+JSON.parse: ${(base / rounds).toFixed(1)} ms/round`);
console.log(`extractRepository:            ${(extract / rounds).toFixed(1)} ms/round`);
console.log(`ratio extraction/baseline: ${ratio.toFixed(2)} (goal ≤ 1.5) ${ratio <= 1.5 ? 'OK' : 'OVER GOAL'}`);
console.log(`peak RSS: ${(peakRss / 1024 / 1024).toFixed(0)} MB`);
