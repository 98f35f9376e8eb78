import { existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Checkout, lsRemote, type GitOptions } from '../../crawler/git/remote.js';
import { commitFiles, git, notebook } from '../support/github-server/git.js';

let root: string;
let options: GitOptions;
const url = 'https://github.com/owner/repo';

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'ida-git-test-'));
  const repo = path.join(root, 'mirror', 'owner', 'repo');
  commitFiles(path.join(root, 'sub'), { 'x.txt': 'x' });
  commitFiles(repo, { 'a.ipynb': notebook('A'), 'big.bin': Buffer.alloc(300 * 1024, 7), 'dir/b.ipynb': notebook('B') });
  symlinkSync('/etc/passwd', path.join(repo, 'link.ipynb'));
  git(repo, ['-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', pathToFileURL(path.join(root, 'sub')).href, 'vendored']);
  commitFiles(repo, {}, 'symlink and submodule');
  git(repo, ['branch', 'gh-pages']);
  options = { rewrites: [{ base: `${pathToFileURL(path.join(root, 'mirror')).href}/`, insteadOf: 'https://github.com/' }], protocols: ['https', 'file'], maxBlobBytes: 200 * 1024 };
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('git access', () => {
  it('ls-remote finds the default branch and commit through insteadOf, or a named branch', async () => {
    const head = await lsRemote(url, null, options);
    expect(head?.ref).toBe('main');
    expect(head?.commit).toBe(git(path.join(root, 'mirror', 'owner', 'repo'), ['rev-parse', 'HEAD']).trim());
    expect((await lsRemote(url, 'gh-pages', options))?.commit).toBe(head?.commit);
    await expect(lsRemote(url, 'no-such-branch', options)).rejects.toThrow(/not found/);
  });

  it('refuses protocols outside the allow-list', async () => {
    await expect(lsRemote(url, null, { ...options, protocols: ['https'], rewrites: [] })).rejects.toThrow();
    await expect(lsRemote(pathToFileURL(path.join(root, 'mirror', 'owner', 'repo')).href, null, { protocols: ['https'] })).rejects.toThrow(/ls-remote failed/);
  });

  it('clones without blobs, lists the tree without symlinks or submodules, fetches only what is asked, caps sizes', async () => {
    const head = (await lsRemote(url, null, options))!;
    const checkout = await Checkout.clone(url, head, options);
    try {
      const tree = await checkout.tree();
      expect(tree.map((b) => b.path).sort()).toEqual(['.gitmodules', 'a.ipynb', 'big.bin', 'dir/b.ipynb']);
      const presentBlobs = () => git(checkout.dir, ['cat-file', '--batch-all-objects', '--batch-check=%(objecttype)']).split('\n').filter((l) => l === 'blob').length;
      expect(presentBlobs()).toBe(0); // no blob came with the clone
      const notebooks = tree.filter((b) => b.path.endsWith('.ipynb'));
      const big = tree.find((b) => b.path === 'big.bin')!;
      expect(await checkout.prefetch([...notebooks, big])).toBe(3);
      expect(presentBlobs()).toBe(3);
      expect(big.size).toBe(300 * 1024);
      expect((await checkout.read(notebooks[0]!)).toString()).toContain('"nbformat": 4');
      await expect(checkout.read(big)).rejects.toThrow(/cap/);
      await expect(checkout.read(tree.find((b) => b.path === '.gitmodules')!)).rejects.toThrow(/not selected/);
      expect(presentBlobs()).toBe(3);
      // the submodule was never fetched
      expect(existsSync(path.join(checkout.dir, '.git', 'modules'))).toBe(false);
      // and nothing was checked out: no repository path reached the file system
      expect(readdirSync(checkout.dir)).toEqual(['.git']);
    } finally {
      await checkout.dispose();
    }
  });
});
