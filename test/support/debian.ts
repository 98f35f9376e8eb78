/**
 * Suites that need Debian packages (chromium, jupyterhub…) call `requireDebianPackages` in their setup.
 * Missing packages are installed when running as root; otherwise the suite is skipped with a loud
 * reason and the command that fixes it — except under CI=true, where a missing package is a failure.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export type PackageNeed = {
  /** Debian package name, e.g. "chromium". */
  name: string;
  /** A file the package installs, used to tell whether it is present, e.g. "/usr/bin/chromium". */
  provides: string;
};

export type Availability = { ok: true } | { ok: false; reason: string };

const underCi = process.env.CI === 'true';
let aptUpdated = false;

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function aptInstall(names: string[]): { ok: boolean; output: string } {
  if (!aptUpdated) {
    const update = spawnSync('apt-get', ['update', '-qq'], { encoding: 'utf8', timeout: 300_000 });
    if (update.status !== 0) return { ok: false, output: `${update.stdout}\n${update.stderr}` };
    aptUpdated = true;
  }
  const install = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...names], {
    encoding: 'utf8',
    timeout: 600_000,
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return { ok: install.status === 0, output: `${install.stdout}\n${install.stderr}` };
}

/**
 * Makes sure the packages are installed. Returns `{ ok: false, reason }` when the suite must skip;
 * throws under CI=true instead of ever skipping.
 */
export function requireDebianPackages(suite: string, needs: PackageNeed[]): Availability {
  const missing = needs.filter((need) => !existsSync(need.provides));
  if (missing.length === 0) return { ok: true };
  const names = missing.map((need) => need.name);
  const fix = `apt-get install -y --no-install-recommends ${names.join(' ')}`;
  let detail = 'not running as root, so they cannot be installed automatically';
  if (isRoot() && hasApt()) {
    const result = aptInstall(names);
    const stillMissing = missing.filter((need) => !existsSync(need.provides));
    if (result.ok && stillMissing.length === 0) return { ok: true };
    detail = `apt-get failed:\n${result.output.trim().split('\n').slice(-10).join('\n')}`;
  } else if (!hasApt()) {
    detail = 'this machine has no apt-get';
  }
  const reason = `${suite}: missing Debian package(s) ${names.join(', ')} (${detail}). Fix: ${fix}`;
  if (underCi) throw new Error(`${reason}\nUnder CI=true a missing package is a failure, not a skip.`);
  console.warn(`\n!!! SKIPPING ${reason}\n`);
  return { ok: false, reason };
}

function hasApt(): boolean {
  try {
    execFileSync('apt-get', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Absolute path of the shared real-data corpus (../shared/corpus beside the checkout), or null with a loud message. */
export function sharedCorpus(suite: string): string | null {
  const candidates = [process.env.IDA_SHARED_DIR, new URL('../../../shared', import.meta.url).pathname].filter(Boolean) as string[];
  for (const dir of candidates) {
    const corpus = `${dir.replace(/\/$/, '')}/corpus`;
    if (existsSync(`${corpus}/SOURCES.tsv`)) return corpus;
  }
  const reason = `${suite}: ../shared/corpus is absent (looked in ${candidates.join(', ')}); set IDA_SHARED_DIR to the shared folder`;
  if (underCi) throw new Error(`${reason}. Under CI=true the corpus must be present.`);
  console.warn(`\n!!! SKIPPING ${reason}\n`);
  return null;
}
