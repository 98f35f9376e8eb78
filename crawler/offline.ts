/**
 * `npm run catalog:offline`: the committed catalog, built without internet by the real crawler.
 *
 * 1. Every folder `<owner>__<name>` of the shared corpus (../shared/corpus, or IDA_CORPUS) becomes a local
 *    git repository `<mirrors>/<owner>/<name>`: one commit, fixed author and date, so it is reproducible.
 * 2. The crawler runs over catalog/sources.yaml with `url.file://<mirrors>/.insteadOf https://github.com/`,
 *    so it clones the mirrors and records the canonical https://github.com/owner/name URLs, and with
 *    --no-api (no forge API offline: stars, default branch, pushed_at, archived and fork are null).
 *    The ESAP-WP5 organisation is listed from the mirror's ESAP-WP5/ folder (see crawler/git/mirror.ts).
 *
 * Options: --out DIR (default catalog), --config PATH (default catalog/sources.yaml), --keep-mirrors.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { formatSummary } from './cli/crawl.js';
import { crawl } from './crawl/run.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The fixed identity and date of every mirror commit: same corpus in, same commit ids out. */
export const MIRROR_COMMIT_ENV = {
  GIT_AUTHOR_NAME: 'ida-catalog offline mirror',
  GIT_AUTHOR_EMAIL: 'offline-mirror@ida-catalog.invalid',
  GIT_AUTHOR_DATE: '2025-01-01T00:00:00Z',
  GIT_COMMITTER_NAME: 'ida-catalog offline mirror',
  GIT_COMMITTER_EMAIL: 'offline-mirror@ida-catalog.invalid',
  GIT_COMMITTER_DATE: '2025-01-01T00:00:00Z',
};

function gitIn(dir: string, args: string[]): void {
  execFileSync('git', ['-c', 'core.hooksPath=/dev/null', '-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main', ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: os.tmpdir(), GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', ...MIRROR_COMMIT_ENV },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

/** A one-commit git repository of `folder` at `dir`, ready to serve partial clones. */
export function mirrorFolder(folder: string, dir: string, message: string): void {
  mkdirSync(dir, { recursive: true });
  cpSync(folder, dir, { recursive: true });
  gitIn(dir, ['init', '-q', '-b', 'main']);
  gitIn(dir, ['config', 'uploadpack.allowFilter', 'true']);
  gitIn(dir, ['config', 'uploadpack.allowAnySHA1InWant', 'true']);
  gitIn(dir, ['add', '-A']);
  gitIn(dir, ['commit', '-q', '-m', message]);
}

/** Mirrors every `<owner>__<name>` folder of the corpus under `mirrors/<owner>/<name>`. */
export function buildMirrors(corpus: string, mirrors: string): string[] {
  const names = readdirSync(corpus, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name.includes('__'))
    .map((entry) => entry.name)
    .sort();
  for (const name of names) {
    const [owner, repo] = name.split('__') as [string, string];
    mirrorFolder(path.join(corpus, name), path.join(mirrors, owner, repo), `Mirror of ${owner}/${repo} from the shared corpus`);
  }
  return names.map((name) => name.replace('__', '/'));
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: path.join(root, 'catalog') },
      config: { type: 'string', default: path.join(root, 'catalog', 'sources.yaml') },
      'keep-mirrors': { type: 'boolean', default: false },
    },
  });
  const corpus = process.env.IDA_CORPUS ?? path.resolve(root, '..', 'shared', 'corpus');
  if (!existsSync(corpus)) {
    console.error(`catalog:offline: the corpus is not at ${corpus}; set IDA_CORPUS to the folder holding <owner>__<name> folders`);
    return 2;
  }
  const mirrors = mkdtempSync(path.join(os.tmpdir(), 'ida-mirrors-'));
  try {
    const mirrored = buildMirrors(corpus, mirrors);
    console.log(`mirrored ${mirrored.length} repositories under ${mirrors}: ${mirrored.join(', ')}`);
    const result = await crawl({
      config: values.config!,
      out: values.out!,
      noApi: true,
      git: { rewrites: [{ base: `${pathToFileURL(mirrors).href}/`, insteadOf: 'https://github.com/' }], protocols: ['https', 'file'] },
      progress: 'lines',
      log: (line) => console.log(line),
    });
    for (const problem of result.problems) console.error(problem);
    for (const line of formatSummary(result.summaries)) console.log(line);
    return result.exitCode;
  } finally {
    if (values['keep-mirrors']) console.log(`mirrors kept at ${mirrors}`);
    else rmSync(mirrors, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main();
}
