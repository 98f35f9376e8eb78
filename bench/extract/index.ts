/**
 * bench/extract: the extractor over the whole ../shared/corpus, repeated to a meaningful total, against the bare
 * baseline of the same run — fs.readFile + JSON.parse of the same files (every file the extractor reads: the
 * notebooks, and the sidecars, environment, licence and README files; JSON.parse where they are JSON).
 * Goal: ratio ≤ 1.5. Also prints the ratio against notebooks alone (the stricter reading), and peak RSS.
 * Not a test: it fails only if the corpus is missing.
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
// One extraction to learn which files it reads: the baseline reads exactly those.
for (const snapshot of snapshots) await extractRepository(snapshot);
const readFiles = snapshots.flatMap((snapshot, index) => [...new Set(snapshot.reads)].sort().map((file) => path.join(corpus, folders[index]!, file)));
const totalBytes = snapshots.flatMap((snapshot) => snapshot.files).filter((file) => /\.ipynb$/.test(file.path)).reduce((sum, file) => sum + file.size, 0);

let peakRss = process.memoryUsage().rss;
const sampleRss = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};
const sampler = setInterval(sampleRss, 5);

async function baseline(files: string[]): Promise<number> {
  let keys = 0;
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    if (!/\.(ipynb|json)$/.test(file)) continue;
    try {
      keys += Object.keys(JSON.parse(text) as object).length;
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
async function measure(): Promise<{ base: number; notebooksOnly: number; extract: number; rounds: number }> {
  await baseline(readFiles);
  await extraction(); // warm-up: JIT and module loading out of the measurement
  let base = 0;
  let notebooksOnly = 0;
  let extract = 0;
  let rounds = 0;
  while (base < MIN_SECONDS * 1000 || extract < MIN_SECONDS * 1000) {
    let start = performance.now();
    await baseline(readFiles);
    base += performance.now() - start;
    start = performance.now();
    await baseline(notebookFiles);
    notebooksOnly += performance.now() - start;
    start = performance.now();
    await extraction();
    extract += performance.now() - start;
    rounds++;
    sampleRss();
  }
  return { base, notebooksOnly, extract, rounds };
}

const { base, notebooksOnly, extract, rounds } = await measure();
clearInterval(sampler);
const ratio = extract / base;
console.log(`corpus: ${folders.length} repositories, ${notebookFiles.length} notebooks (${(totalBytes / 1024 / 1024).toFixed(1)} MB), ${readFiles.length} files read by the extractor; ${rounds} rounds`);
console.log(`baseline readFile+JSON.parse, same ${readFiles.length} files: ${(base / rounds).toFixed(1)} ms/round`);
console.log(`baseline readFile+JSON.parse, notebooks only: ${(notebooksOnly / rounds).toFixed(1)} ms/round`);
console.log(`extractRepository: ${(extract / rounds).toFixed(1)} ms/round`);
console.log(`ratio extraction/baseline (same files): ${ratio.toFixed(2)} (goal ≤ 1.5) ${ratio <= 1.5 ? 'OK' : 'OVER GOAL'}`);
console.log(`ratio extraction/baseline (notebooks only): ${(extract / notebooksOnly).toFixed(2)}`);
console.log(`peak RSS: ${(peakRss / 1024 / 1024).toFixed(0)} MB`);
