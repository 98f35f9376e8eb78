/**
 * `npm run corpus`: the committed pins are the shared corpus's, and a corpus can be materialised from the
 * pins alone by sparse, blob-less clones at the pinned commits (here from local repositories standing in
 * for GitHub through git's insteadOf).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { materialiseCorpus, pinsText } from '../../crawler/corpus/materialise.js';
import { type CorpusPin, readPins } from '../../crawler/corpus/pins.js';
import { sharedCorpus } from '../support/debian.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'ida-corpus-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'init.defaultBranch=main', '-c', 'user.name=t', '-c', 'user.email=t@t.invalid', ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH!, HOME: work, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
  })
    .toString()
    .trim();
}

/** A repository with two commits; returns the first one's id (the pin). */
function makeRepository(dir: string): string {
  mkdirSync(path.join(dir, 'lessons'), { recursive: true });
  git(dir, 'init', '-q');
  git(dir, 'config', 'uploadpack.allowFilter', 'true');
  writeFileSync(path.join(dir, 'lessons', 'one.ipynb'), '{"cells": [], "first": true}');
  writeFileSync(path.join(dir, 'README.md'), '# Lessons\n');
  writeFileSync(path.join(dir, 'LICENSE'), 'MIT\n');
  writeFileSync(path.join(dir, 'requirements.txt'), 'numpy\n');
  writeFileSync(path.join(dir, 'helper.py'), 'print("code is left out")\n');
  writeFileSync(path.join(dir, 'postBuild'), '#!/bin/sh\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'first');
  const pinned = git(dir, 'rev-parse', 'HEAD');
  writeFileSync(path.join(dir, 'lessons', 'one.ipynb'), '{"cells": [], "first": false}');
  writeFileSync(path.join(dir, 'lessons', 'two.ipynb'), '{"cells": []}');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'second');
  return pinned;
}

describe('npm run corpus', () => {
  it('clones each pinned repository at its pinned commit, keeping only corpus files, and writes SOURCES.tsv', async () => {
    const mirrors = path.join(work, 'mirrors');
    const commit = makeRepository(path.join(mirrors, 'astro', 'lessons'));
    const pins: CorpusPin[] = [{ fullName: 'astro/lessons', folder: 'astro__lessons', commit, branch: 'main', committedAt: '2024-05-03T16:55:53+02:00' }];
    const out = path.join(work, 'out');
    const result = await materialiseCorpus({ pins, out, shared: path.join(work, 'absent'), rewrites: [{ base: `${pathToFileURL(mirrors).href}/`, insteadOf: 'https://github.com/' }] });
    expect(result).toEqual({ sharedDir: out, corpus: path.join(out, 'corpus'), source: 'cloned' });
    const folder = path.join(out, 'corpus', 'astro__lessons');
    expect(readdirSync(folder, { recursive: true }).map(String).sort()).toEqual(['LICENSE', 'README.md', 'lessons', 'lessons/one.ipynb', 'requirements.txt']);
    expect(readFileSync(path.join(folder, 'lessons', 'one.ipynb'), 'utf8')).toContain('"first": true');
    expect(readFileSync(path.join(out, 'corpus', 'SOURCES.tsv'), 'utf8')).toBe(pinsText(pins));
    expect(existsSync(path.join(folder, '.git'))).toBe(false);
  });

  it('uses the shared corpus as it is when it holds exactly the pins', async () => {
    const shared = path.join(work, 'shared', 'corpus');
    mkdirSync(shared, { recursive: true });
    const pins: CorpusPin[] = [{ fullName: 'a/b', folder: 'a__b', commit: 'a'.repeat(40), branch: 'main', committedAt: '2024-01-01T00:00:00Z' }];
    writeFileSync(path.join(shared, 'SOURCES.tsv'), pinsText(pins));
    const result = await materialiseCorpus({ pins, out: path.join(work, 'unused'), shared });
    expect(result).toEqual({ sharedDir: path.join(work, 'shared'), corpus: shared, source: 'shared' });
    expect(existsSync(path.join(work, 'unused'))).toBe(false);
  });

  it('commits the same pins as the shared corpus (catalog/corpus.tsv = SOURCES.tsv)', async () => {
    const corpus = sharedCorpus('test/ci/corpus');
    if (!corpus) return;
    const committed = await readPins(new URL('../../catalog/corpus.tsv', import.meta.url).pathname);
    expect(committed).toEqual(await readPins(path.join(corpus, 'SOURCES.tsv')));
  });
});
