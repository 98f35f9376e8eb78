/**
 * The git commands that talk to a remote (ls-remote, clone, fetch), run under hard limits: a wall-clock
 * budget, an output cap and, through the caller, a size watchdog. git runs in its own process group, so
 * a limit kills it together with its transport helper (git-remote-https), which would otherwise keep the
 * pipes open and the crawl waiting on a remote that trickles bytes.
 */
import { spawn } from 'node:child_process';

export type NetworkLimits = {
  /** Wall-clock budget of the command (ms). */
  wallMs: number;
  /** Most bytes of standard output kept; beyond it the command is killed. */
  maxOutputBytes: number;
  /** Aborting it kills the command (a size watchdog, the caller giving up). */
  signal?: AbortSignal;
};

export class GitLimitError extends Error {}

/** Runs `git args` (`name`: the command, for messages) in `cwd` with exactly `env`; resolves with stdout, rejects with stderr's last lines or the limit hit. */
export function runNetworkGit(name: string, args: string[], cwd: string, env: Record<string, string>, limits: NetworkLimits): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let outputBytes = 0;
    let stderr = '';
    let limit: string | null = null;
    const kill = (why: string) => {
      limit ??= why;
      try {
        process.kill(-child.pid!, 'SIGKILL'); // the whole group: git and its transport helper
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => kill(`took longer than ${Math.round(limits.wallMs / 1000)} s`), limits.wallMs);
    const onAbort = () => kill(String(limits.signal?.reason ?? 'aborted'));
    limits.signal?.addEventListener('abort', onAbort);
    if (limits.signal?.aborted) onAbort();
    child.stdout.on('data', (chunk: Buffer) => {
      outputBytes += chunk.length;
      if (outputBytes > limits.maxOutputBytes) kill(`printed more than ${limits.maxOutputBytes} bytes`);
      else chunks.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4000);
    });
    const finish = () => {
      clearTimeout(timer);
      limits.signal?.removeEventListener('abort', onAbort);
    };
    child.on('error', (error) => {
      finish();
      reject(error);
    });
    child.on('close', (code) => {
      finish();
      if (limit) reject(new GitLimitError(`git ${name} stopped: it ${limit}`));
      else if (code === 0) resolve(Buffer.concat(chunks));
      else reject(new Error(stderr.trim() || `git exited with code ${code}`));
    });
  });
}
