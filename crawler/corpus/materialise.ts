/**
 * `npm run corpus`: puts the real-data corpus the tests read where they look for it.
 *
 * The corpus is defined by the pins committed in `catalog/corpus.tsv` (SOURCES.tsv's format). Offline, the
 * shared corpus (`../shared/corpus`) is used as it is when it holds exactly those pins. Otherwise (on
 * GitHub Actions) each pinned repository is fetched with a blob-less, sparse clone at its pinned commit —
 * only notebooks, text notebooks, sidecars, environment, README and licence files, as the shared corpus
 * holds them — into `<out>/corpus/<owner>__<name>`, with the pins written beside them as SOURCES.tsv.
 * The command prints `IDA_SHARED_DIR=<dir>` for the test suites.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { CORPUS_GIT_CONFIG, corpusGitEnv } from './git.js';
import { type CorpusPin, parsePins, readPins } from './pins.js';

const run = promisify(execFile);

/** What a corpus folder keeps of a repository (git's non-cone sparse patterns). Code files are left out. */
export const CORPUS_PATTERNS = [
  '*.ipynb',
  '*.md',
  'README*',
  'LICENSE*',
  'LICENCE*',
  'COPYING*',
  'requirements.txt',
  'environment.yml',
  'environment.yaml',
  'Project.toml',
  'runtime.txt',
  'apt.txt',
  'install.R',
  'metadata.json',
  'codemeta.json',
  '.binder/*.json',
  'binder/*.json',
];
/** Files above this are dropped, as in the shared corpus. */
export const MAX_CORPUS_FILE = 8 * 1024 * 1024;

export type MaterialiseOptions = {
  pins: CorpusPin[];
  /** Folder that receives `corpus/`; the value for IDA_SHARED_DIR. */
  out: string;
  /** An existing corpus to use instead of cloning when it is pinned identically (../shared/corpus). */
  shared?: string;
  /** `url.<base>.insteadOf https://github.com/`-style rewrites (tests clone local repositories). */
  rewrites?: { base: string; insteadOf: string }[];
  log?: (line: string) => void;
};

export type Materialised = { sharedDir: string; corpus: string; source: 'shared' | 'cloned' };

function samePins(a: CorpusPin[], b: CorpusPin[]): boolean {
  const key = (pins: CorpusPin[]) => JSON.stringify([...pins].sort((x, y) => x.fullName.localeCompare(y.fullName)));
  return key(a) === key(b);
}

async function git(args: string[], cwd: string, rewrites: MaterialiseOptions['rewrites'] = []): Promise<void> {
  const config = [...CORPUS_GIT_CONFIG, ...rewrites.flatMap((r) => ['-c', `url.${r.base}.insteadOf=${r.insteadOf}`])];
  await run('git', [...config, ...args], { cwd, timeout: 10 * 60_000, maxBuffer: 16 * 1024 * 1024, env: corpusGitEnv() });
}

async function dropLargeFiles(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const full = path.join(entry.parentPath, entry.name);
    if (entry.isFile() && (await stat(full)).size > MAX_CORPUS_FILE) await rm(full);
  }
}

/** One pinned repository as a plain folder (no .git) of its corpus files at the pinned commit. */
async function clonePinned(pin: CorpusPin, dest: string, rewrites: MaterialiseOptions['rewrites']): Promise<void> {
  await rm(dest, { recursive: true, force: true });
  const url = `https://github.com/${pin.fullName}`;
  await git(['clone', '--quiet', '--filter=blob:none', '--no-checkout', '--branch', pin.branch, url, dest], os.tmpdir(), rewrites);
  await git(['sparse-checkout', 'set', '--no-cone', ...CORPUS_PATTERNS], dest, rewrites);
  try {
    await git(['checkout', '--quiet', '--detach', pin.commit], dest, rewrites);
  } catch {
    // The pin is no longer on the branch's history (a force-push): fetch it by id.
    await git(['fetch', '--quiet', '--filter=blob:none', 'origin', pin.commit], dest, rewrites);
    await git(['checkout', '--quiet', '--detach', pin.commit], dest, rewrites);
  }
  await rm(path.join(dest, '.git'), { recursive: true, force: true });
  await dropLargeFiles(dest);
}

export function pinsText(pins: CorpusPin[]): string {
  return pins.map((pin) => [pin.fullName, pin.commit, pin.branch, pin.committedAt].join('\t')).join('\n') + '\n';
}

export async function materialiseCorpus(options: MaterialiseOptions): Promise<Materialised> {
  const log = options.log ?? (() => {});
  if (options.shared && existsSync(path.join(options.shared, 'SOURCES.tsv'))) {
    const sharedPins = parsePins(await readFile(path.join(options.shared, 'SOURCES.tsv'), 'utf8'), path.join(options.shared, 'SOURCES.tsv'));
    if (samePins(sharedPins, options.pins)) {
      log(`corpus: using ${options.shared} (its SOURCES.tsv matches the ${options.pins.length} committed pins)`);
      return { sharedDir: path.dirname(options.shared), corpus: options.shared, source: 'shared' };
    }
    log(`corpus: ${options.shared} is pinned differently from the committed pins; cloning instead`);
  }
  const corpus = path.join(options.out, 'corpus');
  await mkdir(corpus, { recursive: true });
  for (const pin of options.pins) {
    log(`corpus: ${pin.fullName} at ${pin.commit.slice(0, 12)} (${pin.branch})`);
    await clonePinned(pin, path.join(corpus, pin.folder), options.rewrites);
  }
  await writeFile(path.join(corpus, 'SOURCES.tsv'), pinsText(options.pins));
  return { sharedDir: options.out, corpus, source: 'cloned' };
}

async function main(): Promise<number> {
  const root = path.resolve(import.meta.dirname, '..', '..');
  const pinsFile = path.join(root, 'catalog', 'corpus.tsv');
  const shared = process.env.IDA_SHARED_DIR ? path.join(process.env.IDA_SHARED_DIR, 'corpus') : path.resolve(root, '..', 'shared', 'corpus');
  const out = process.argv[2] ?? path.join(root, '.cache', 'shared');
  try {
    const result = await materialiseCorpus({ pins: await readPins(pinsFile), out, shared, log: (line) => console.error(line) });
    console.log(`IDA_SHARED_DIR=${result.sharedDir}`);
    return 0;
  } catch (error) {
    console.error(`corpus: ${(error as Error).message}`);
    return 1;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) process.exitCode = await main();
