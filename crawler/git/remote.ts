/**
 * Reading repositories with git alone (no forge API, no rate limit): `ls-remote` to learn the head commit,
 * a blob-less shallow clone without checkout for the tree, and one batched fetch of only the blobs we read.
 * Everything cloned is untrusted: no hooks, no submodules, no LFS smudge, a protocol allow-list, size caps,
 * and nothing is ever checked out, so no repository path reaches the file system.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { runNetworkGit } from './network.js';

/** `url.<base>.insteadOf <prefix>`: URLs starting with `prefix` are fetched from `base` instead. */
export type UrlRewrite = { base: string; insteadOf: string };

export type GitOptions = {
  rewrites?: UrlRewrite[];
  /** Protocols git may use (GIT_ALLOW_PROTOCOL); the rewrite bases' protocols are added. */
  protocols?: string[];
  /** Longest a local git command may go without output (ms). */
  timeoutMs?: number;
  /** Wall-clock budget of one clone or blob fetch (ms; ls-remote gets a fifth of it). Default 10 minutes. */
  wallMs?: number;
  /** A transfer slower than this for this long is aborted (git's http.lowSpeedLimit/lowSpeedTime). Default 1 kB/s for 60 s. */
  lowSpeed?: { bytesPerSecond: number; seconds: number };
  /** Most bytes a clone (commits and trees, no blobs) may transfer. Default 256 MB. */
  maxCloneBytes?: number;
  /** Largest blob we read (bytes); larger blobs are never handed to extraction. */
  maxBlobBytes?: number;
  /** Most bytes one repository's blob fetch may transfer; the fetch is aborted beyond it. */
  maxFetchBytes?: number;
  /** Parent folder of the temporary clones. */
  workRoot?: string;
};

export type RemoteHead = { ref: string; commit: string };
/** A blob of the tree; `size` is null until the blob is fetched (git's trees do not record sizes). */
export type TreeBlob = { path: string; size: number | null; oid: string };

const DEFAULT_PROTOCOLS = ['https'];

function protocolOf(url: string): string | null {
  const match = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url);
  return match ? match[1]!.toLowerCase() : null;
}

/**
 * Config every git command runs with, on top of none at all (no system, global or caller's repository
 * config): nothing in a crawled repository, or around the crawler, may change what git does.
 */
function safeConfig(options: GitOptions): string[] {
  const config = [
    'core.hooksPath=/dev/null',
    'core.fsmonitor=false',
    'core.symlinks=false',
    'submodule.recurse=false',
    'fetch.recurseSubmodules=false',
    'filter.lfs.smudge=',
    'filter.lfs.process=',
    'filter.lfs.required=false',
    'credential.helper=',
    'gc.auto=0',
    'advice.detachedHead=false',
    'transfer.fsckObjects=true',
    // Blob fetches by id: nothing to negotiate (and a clone starts from nothing anyway).
    'fetch.negotiationAlgorithm=noop',
  ];
  const lowSpeed = options.lowSpeed ?? DEFAULT_LOW_SPEED;
  config.push(`http.lowSpeedLimit=${lowSpeed.bytesPerSecond}`, `http.lowSpeedTime=${lowSpeed.seconds}`);
  for (const rewrite of options.rewrites ?? []) config.push(`url.${rewrite.base}.insteadOf=${rewrite.insteadOf}`);
  return config;
}

const DEFAULT_LOW_SPEED = { bytesPerSecond: 1000, seconds: 60 };
const DEFAULT_WALL_MS = 10 * 60_000;
const DEFAULT_MAX_CLONE_BYTES = 256 * 1024 * 1024;
/** ls-remote prints one line per ref: more than this is no repository we catalogue. */
const MAX_LS_REMOTE_BYTES = 16 * 1024 * 1024;

/** A git command that talks to the remote, with the safe configuration, under wall-clock and size limits. */
function networkGit(options: GitOptions, name: string, args: string[], limits: { wallMs?: number; maxOutputBytes?: number; signal?: AbortSignal; cwd?: string } = {}): Promise<string> {
  const cwd = limits.cwd ?? neutralDir();
  const config = safeConfig(options).flatMap((setting) => ['-c', setting]);
  return runNetworkGit(name, [...config, name, ...args], cwd, gitEnvironment(options, cwd), {
    wallMs: limits.wallMs ?? options.wallMs ?? DEFAULT_WALL_MS,
    maxOutputBytes: limits.maxOutputBytes ?? MAX_LS_REMOTE_BYTES,
    signal: limits.signal,
  }).then((out) => out.toString('utf8'));
}

/** Aborts `controller` when the pack files under `dir` outgrow `cap`; returns the stop function. */
function watchSize(dir: string, cap: number, controller: AbortController): () => void {
  const watchdog = setInterval(() => {
    void folderBytes(dir).then((bytes) => {
      if (bytes > cap) controller.abort(`transferred more than the ${cap}-byte cap`);
    });
  }, 250);
  return () => clearInterval(watchdog);
}

let neutral: string | null = null;

/**
 * An empty folder of our own: the working directory of every git command that is not inside one of our
 * clones, and HOME. git reads the repository config of its working directory (and searches parent
 * folders for one): run in the caller's checkout, `git ls-remote` would take that checkout's
 * `url.*.insteadOf` rewrites and `http.extraHeader` (in GitHub Actions, its auth token).
 */
export function neutralDir(): string {
  if (!neutral) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ida-git-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    neutral = dir;
  }
  return neutral;
}

function gitEnvironment(options: GitOptions, cwd: string): Record<string, string> {
  const protocols = new Set(options.protocols ?? DEFAULT_PROTOCOLS);
  for (const rewrite of options.rewrites ?? []) {
    const protocol = protocolOf(rewrite.base);
    if (protocol) protocols.add(protocol);
  }
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: neutralDir(),
    XDG_CONFIG_HOME: neutralDir(),
    // No repository discovery above the working directory (a /tmp/.git must not count).
    GIT_CEILING_DIRECTORIES: path.dirname(cwd),
    GIT_ATTR_NOSYSTEM: '1',
    LANG: 'C',
    LC_ALL: 'C',
    GIT_TERMINAL_PROMPT: '0',
    GIT_LFS_SKIP_SMUDGE: '1',
    GIT_ALLOW_PROTOCOL: [...protocols].sort().join(':'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_PROTOCOL_FROM_USER: '0',
  };
  return env;
}

export class GitError extends Error {}

async function folderBytes(dir: string): Promise<number> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const sizes = await Promise.all(names.map((name) => stat(path.join(dir, name)).then((s) => s.size, () => 0)));
  return sizes.reduce((a, b) => a + b, 0);
}

/** A git client for local commands in one of our clones, with the safe configuration applied to every command. */
function git(options: GitOptions, baseDir: string): SimpleGit {
  return simpleGit({
    baseDir,
    config: safeConfig(options),
    timeout: { block: options.timeoutMs ?? 120_000 },
    maxConcurrentProcesses: 2,
    unsafe: { allowUnsafeHooksPath: true, allowUnsafeFilter: true, allowUnsafeCredentialHelper: true, allowUnsafeFsMonitor: true, allowUnsafeConfigPaths: true },
  }).env(gitEnvironment(options, baseDir));
}

/** Strips anything credential-like from a git error before it reaches a log. */
function cleanMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text
    .replace(/\/\/[^/@\s]*@/g, '//')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('hint:'))
    .slice(0, 3)
    .join(' ');
}

/**
 * The commit `ref` points at on the remote, or the remote's HEAD (and the branch it names) when `ref`
 * is null. Returns null for an empty repository.
 */
export async function lsRemote(url: string, ref: string | null, options: GitOptions = {}): Promise<RemoteHead | null> {
  // "Empty" or "no such ref" removes records, so it must be seen twice more before it is believed.
  let result: RemoteHead | null | GitError = null;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    result = await lsRemoteOnce(url, ref, options).catch((error: unknown) => (error instanceof GitError ? error : new GitError(String(error))));
    if (result !== null && !(result instanceof GitError && /not found on the remote/.test(result.message))) break;
  }
  if (result instanceof GitError) throw result;
  return result;
}

async function lsRemoteOnce(url: string, ref: string | null, options: GitOptions): Promise<RemoteHead | null> {
  let output: string;
  try {
    const wallMs = Math.ceil((options.wallMs ?? DEFAULT_WALL_MS) / 5);
    output = ref
      ? await networkGit(options, 'ls-remote', [url, `refs/heads/${ref}`, `refs/tags/${ref}`, `refs/tags/${ref}^{}`], { wallMs })
      : await networkGit(options, 'ls-remote', ['--symref', url, 'HEAD'], { wallMs });
  } catch (error) {
    throw new GitError(`git ls-remote failed: ${cleanMessage(error)}`);
  }
  const lines = output.split('\n').filter(Boolean);
  if (ref) {
    const find = (name: string) => lines.find((line) => line.endsWith(`\t${name}`))?.split('\t')[0];
    const commit = find(`refs/heads/${ref}`) ?? find(`refs/tags/${ref}^{}`) ?? find(`refs/tags/${ref}`);
    if (!commit) throw new GitError(`ref "${ref}" not found on the remote`);
    return { ref, commit };
  }
  const symref = lines.find((line) => line.startsWith('ref: '));
  const head = lines.find((line) => line.endsWith('\tHEAD') && !line.startsWith('ref: '));
  if (!head) return null;
  const branch = symref ? /^ref: refs\/heads\/(.+)\tHEAD$/.exec(symref)?.[1] : undefined;
  return { ref: branch ?? 'HEAD', commit: head.split('\t')[0]! };
}

/** A blob-less, shallow, checkout-less clone: commits and trees only. Call `dispose()` when done. */
export class Checkout {
  private readonly sizes = new Map<string, number>();

  private constructor(
    readonly dir: string,
    private readonly client: SimpleGit,
    private readonly options: GitOptions,
  ) {}

  get maxBlobBytes(): number {
    return this.options.maxBlobBytes ?? 20 * 1024 * 1024;
  }

  static async clone(url: string, head: RemoteHead, options: GitOptions = {}): Promise<Checkout> {
    const root = options.workRoot ?? os.tmpdir();
    const dir = await mkdtemp(path.join(root, 'ida-clone-'));
    try {
      const args = ['--quiet', '--filter=blob:none', '--depth', '1', '--no-checkout', '--no-tags', '--single-branch', '--no-recurse-submodules'];
      if (head.ref !== 'HEAD') args.push('--branch', head.ref);
      const controller = new AbortController();
      const stop = watchSize(path.join(dir, 'repo', '.git', 'objects', 'pack'), options.maxCloneBytes ?? DEFAULT_MAX_CLONE_BYTES, controller);
      try {
        await networkGit(options, 'clone', [...args, '--', url, path.join(dir, 'repo')], { signal: controller.signal });
      } finally {
        stop();
      }
      const checkout = new Checkout(path.join(dir, 'repo'), git(options, path.join(dir, 'repo')), options);
      return checkout;
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw new GitError(`git clone failed: ${cleanMessage(error)}`);
    }
  }

  /**
   * A local git command whose output must pass `valid`. Under heavy load we have seen a command report
   * success with empty output; it is run again (bounded) rather than trusted.
   */
  private async local(args: string[], valid: (out: string) => boolean): Promise<string> {
    for (let attempt = 0; attempt < 4; attempt += 1) {
      const out = await this.client.raw(args);
      if (valid(out)) return out;
    }
    throw new GitError(`git ${args[0]} gave no usable output`);
  }

  async commit(): Promise<{ commit: string; committedAt: string }> {
    const out = await this.local(['log', '-1', '--format=%H %cI', 'HEAD'], (text) => /^[0-9a-f]{40,64} \S+/.test(text.trim()));
    const [commit, committedAt] = out.trim().split(' ');
    return { commit: commit!, committedAt: new Date(committedAt!).toISOString().replace('.000Z', 'Z') };
  }

  /**
   * Every blob of the tree (symlinks and submodules left out). Without `-l`: asking for sizes would make
   * git fetch every blob of a partial clone one by one.
   */
  async tree(): Promise<TreeBlob[]> {
    // A commit with an empty tree is possible but rare; empty output is asked for again before it is believed.
    let out = '';
    try {
      out = await this.local(['ls-tree', '-r', '-z', '--full-tree', 'HEAD'], (text) => text.length > 0);
    } catch {
      out = '';
    }
    const blobs: TreeBlob[] = [];
    for (const record of out.split('\0')) {
      const match = /^(\d+) (\w+) ([0-9a-f]+)\t(.+)$/s.exec(record);
      if (!match || match[2] !== 'blob' || match[1] === '120000') continue;
      blobs.push({ path: match[4]!, size: null, oid: match[3]! });
    }
    return blobs;
  }

  /**
   * Fetches the given blobs in one round trip (what git's own lazy fetch does, batched), aborting when the
   * transfer outgrows `maxFetchBytes`; then learns their sizes. Returns how many blobs were fetched.
   */
  async prefetch(blobs: TreeBlob[]): Promise<number> {
    const oids = [...new Set(blobs.map((blob) => blob.oid))];
    // A fetch occasionally returns success without the objects (seen with concurrent local fetches);
    // what is still missing is asked for again, a bounded number of times.
    let missing = oids;
    for (let attempt = 0; attempt < 3 && missing.length > 0; attempt += 1) {
      for (let start = 0; start < missing.length; start += 500) await this.fetchBlobs(missing.slice(start, start + 500));
      await this.learnSizes();
      missing = missing.filter((oid) => !this.sizes.has(oid));
    }
    if (missing.length > 0) throw new GitError(`git fetch did not deliver ${missing.length} of ${oids.length} blobs`);
    for (const blob of blobs) blob.size = this.sizes.get(blob.oid) ?? null;
    return oids.length;
  }

  private async fetchBlobs(batch: string[]): Promise<void> {
    const cap = this.options.maxFetchBytes ?? 512 * 1024 * 1024;
    const controller = new AbortController();
    const stop = watchSize(path.join(this.dir, '.git', 'objects', 'pack'), cap, controller);
    try {
      await networkGit(
        this.options,
        'fetch',
        ['origin', '--quiet', '--no-tags', '--no-write-fetch-head', '--recurse-submodules=no', '--filter=blob:none', ...batch],
        { signal: controller.signal, cwd: this.dir },
      );
    } catch (error) {
      if (controller.signal.aborted) throw new GitError(`git fetch of ${batch.length} blobs aborted: over the ${cap}-byte transfer cap`);
      throw new GitError(`git fetch of ${batch.length} blobs failed: ${cleanMessage(error)}`);
    } finally {
      stop();
    }
  }

  /** Sizes of the blobs present locally (never triggers a fetch). */
  private async learnSizes(): Promise<void> {
    const out = await this.local(['cat-file', '--batch-all-objects', '--batch-check=%(objectname) %(objecttype) %(objectsize)'], (text) => text.includes(' commit '));
    for (const line of out.split('\n')) {
      const [oid, type, size] = line.split(' ');
      if (type === 'blob' && oid && size) this.sizes.set(oid, Number(size));
    }
  }

  /** A fetched blob's bytes; refuses blobs not fetched (reading one would fetch it behind our back) or over the cap. */
  async read(blob: TreeBlob): Promise<Buffer> {
    const size = this.sizes.get(blob.oid);
    if (size === undefined) throw new GitError(`${blob.path} was not selected for fetching`);
    if (size > this.maxBlobBytes) throw new GitError(`${blob.path} is ${size} bytes, over the ${this.maxBlobBytes}-byte cap`);
    for (let attempt = 0; attempt < 4; attempt += 1) {
      const bytes = await this.client.showBuffer([blob.oid]);
      if (bytes.length === size) return bytes;
    }
    throw new GitError(`${blob.path}: git did not return its ${size} bytes`);
  }

  async dispose(): Promise<void> {
    await rm(path.dirname(this.dir), { recursive: true, force: true });
  }
}
