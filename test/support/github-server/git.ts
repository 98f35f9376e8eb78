/**
 * Real git repositories for crawler tests: made at test time, served over file:// and `git daemon` on
 * 127.0.0.1. Every repository allows partial clones and fetching blobs by id, as GitHub does.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const ENV = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: os.tmpdir(),
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Test Author',
  GIT_AUTHOR_EMAIL: 'author@example.org',
  GIT_COMMITTER_NAME: 'Test Author',
  GIT_COMMITTER_EMAIL: 'author@example.org',
};

export function git(dir: string, args: string[], date = '2025-01-01T00:00:00Z'): string {
  return execFileSync('git', ['-c', 'commit.gpgsign=false', ...args], {
    cwd: dir,
    env: { ...ENV, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Creates (or updates) a repository at `dir` with `files` and commits; returns the commit id. */
export function commitFiles(dir: string, files: Record<string, string | Buffer | null>, message = 'update', date?: string): string {
  const fresh = !safeExists(path.join(dir, '.git'));
  mkdirSync(dir, { recursive: true });
  if (fresh) {
    git(dir, ['init', '-q', '-b', 'main']);
    git(dir, ['config', 'uploadpack.allowFilter', 'true']);
    git(dir, ['config', 'uploadpack.allowAnySHA1InWant', 'true']);
  }
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    if (content === null) rmSync(file, { force: true });
    else {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, content);
    }
  }
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '--allow-empty', '-m', message], date);
  return git(dir, ['rev-parse', 'HEAD']).trim();
}

/** An empty repository (no commits) at `dir`. */
export function emptyRepository(dir: string): void {
  mkdirSync(dir, { recursive: true });
  git(dir, ['init', '-q', '-b', 'main']);
}

function safeExists(file: string): boolean {
  try {
    execFileSync('test', ['-e', file]);
    return true;
  } catch {
    return false;
  }
}

/** A small valid notebook. */
export function notebook(title: string, code = 'import numpy as np\nprint(np.pi)'): string {
  return `${JSON.stringify(
    {
      cells: [
        { cell_type: 'markdown', id: 'a1', metadata: {}, source: [`# ${title}\n`, '\n', `A test notebook about ${title}.`] },
        { cell_type: 'code', id: 'b2', execution_count: 1, metadata: {}, outputs: [{ name: 'stdout', output_type: 'stream', text: ['3.14\n'] }], source: code },
      ],
      metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' }, language_info: { name: 'python' } },
      nbformat: 4,
      nbformat_minor: 5,
    },
    null,
    1,
  )}\n`;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export type GitDaemon = { url: string; process: ChildProcess; close(): Promise<void> };

/** `git daemon` serving every repository under `base` at git://127.0.0.1:PORT/<path>. */
export async function startGitDaemon(base: string): Promise<GitDaemon> {
  const port = await freePort();
  const child = spawn('git', ['daemon', '--reuseaddr', '--export-all', '--listen=127.0.0.1', `--port=${port}`, `--base-path=${base}`, '--informative-errors', base], {
    env: ENV,
    stdio: 'ignore',
  });
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (await canConnect(port)) break;
    if (child.exitCode !== null) throw new Error(`git daemon exited with ${child.exitCode}`);
    if (attempt === 99) {
      child.kill();
      throw new Error('git daemon did not start within 10 s');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `git://127.0.0.1:${port}/`,
    process: child,
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill();
      }),
  };
}
