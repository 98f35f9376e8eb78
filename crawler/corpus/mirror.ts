/**
 * Local git mirrors of the pinned corpus, for the offline catalog. Each pinned folder `<owner>__<name>`
 * becomes a bare repository `<mirrors>/<owner>/<name>` with one commit on the pinned branch, dated the
 * pinned commit's date, by a neutral identity. The crawler then reads it like any remote: it sees the
 * pinned branch and date as they are upstream. Only the commit id cannot be the upstream one (the mirror
 * holds a subset of the files and none of the history), so each mirror reports which upstream commit it
 * stands for, and `pinCatalog` (./pin-catalog.ts) writes that id into the records.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { CORPUS_GIT_CONFIG, corpusGitEnv } from './git.js';
import type { CorpusPin } from './pins.js';

/** One mirror: the pin it stands for and the commit id it got locally. */
export type PinnedMirror = { pin: CorpusPin; mirrorCommit: string };

/** Author and committer of every mirror commit: never a person, and the pinned date, so nothing of the mirror's own making is in it. */
const MIRROR_IDENTITY = { name: 'ida-catalog corpus mirror', email: 'corpus-mirror@ida-catalog.invalid' };

export class MirrorError extends Error {}

function git(args: string[], env: Record<string, string> = {}): string {
  return execFileSync('git', [...CORPUS_GIT_CONFIG, ...args], {
    env: corpusGitEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  }).trim();
}

/**
 * A bare repository at `dir` whose single commit holds every file of `folder` (ignore rules of the folder's
 * own .gitignore do not apply: the corpus is what the mirror holds), on `pin.branch`, dated `pin.committedAt`.
 * The corpus folder is read in place, never written. Returns the mirror's commit id.
 */
export function mirrorPin(folder: string, dir: string, pin: CorpusPin): string {
  mkdirSync(dir, { recursive: true });
  git(['init', '-q', '--bare', '-b', pin.branch, dir]);
  git(['-C', dir, 'config', 'uploadpack.allowFilter', 'true']);
  git(['-C', dir, 'config', 'uploadpack.allowAnySHA1InWant', 'true']);
  const tree = { GIT_DIR: dir, GIT_WORK_TREE: folder };
  git(['add', '-A', '-f'], tree);
  git(['commit', '-q', '--no-verify', '-m', `Corpus snapshot of ${pin.fullName} at ${pin.commit}`], {
    ...tree,
    GIT_AUTHOR_NAME: MIRROR_IDENTITY.name,
    GIT_AUTHOR_EMAIL: MIRROR_IDENTITY.email,
    GIT_AUTHOR_DATE: pin.committedAt,
    GIT_COMMITTER_NAME: MIRROR_IDENTITY.name,
    GIT_COMMITTER_EMAIL: MIRROR_IDENTITY.email,
    GIT_COMMITTER_DATE: pin.committedAt,
  });
  return git(['-C', dir, 'rev-parse', 'HEAD']);
}

/**
 * Mirrors every pinned folder of `corpus` under `mirrors/<owner>/<name>`. The corpus and the pins must agree:
 * a folder without a pin, or a pin without its folder, is an error naming them all.
 */
export function buildMirrors(corpus: string, pins: CorpusPin[], mirrors: string): PinnedMirror[] {
  const folders = readdirSync(corpus, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name.includes('__'))
    .map((entry) => entry.name);
  const pinned = new Set(pins.map((pin) => pin.folder));
  const problems = [
    ...folders.filter((folder) => !pinned.has(folder)).map((folder) => `${path.join(corpus, folder)} has no line in SOURCES.tsv`),
    ...pins.filter((pin) => !existsSync(path.join(corpus, pin.folder))).map((pin) => `${pin.fullName} is pinned but ${path.join(corpus, pin.folder)} does not exist`),
  ];
  if (problems.length > 0) throw new MirrorError(`${problems.join('\n')}\nEvery corpus folder needs exactly one pin (owner/name, commit, branch, date) in SOURCES.tsv.`);
  return [...pins]
    .sort((a, b) => (a.folder < b.folder ? -1 : a.folder > b.folder ? 1 : 0))
    .map((pin) => {
      const [owner, name] = pin.fullName.split('/') as [string, string];
      return { pin, mirrorCommit: mirrorPin(path.join(corpus, pin.folder), path.join(mirrors, owner, name), pin) };
    });
}
