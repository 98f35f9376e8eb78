/**
 * A real JupyterHub from Debian on 127.0.0.1, for launch tests and the launch benchmark.
 * What works on these machines is in ../shared/notes/jupyterhub-on-loopback.md: Debian binaries by
 * absolute path, NODE_PATH for the proxy, SimpleLocalProcessSpawner with homes in a temp dir, the dummy
 * authenticator, the classic notebook interface (Debian 12 has no JupyterLab), and git `insteadOf`
 * so launch links naming canonical https URLs clone from a local mirror.
 * The hub is always stopped: by `stop()`, and on process exit as a last resort.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { requireDebianPackages, type Availability } from './debian.js';

export const JUPYTERHUB = '/usr/bin/jupyterhub';
export const SINGLEUSER = '/usr/bin/jupyterhub-singleuser';
export const PROXY = '/usr/bin/configurable-http-proxy';

const PACKAGES = [
  { name: 'jupyterhub', provides: JUPYTERHUB },
  { name: 'python3-nbgitpuller', provides: '/usr/lib/python3/dist-packages/nbgitpuller/__init__.py' },
  { name: 'python3-nbclassic', provides: '/usr/lib/python3/dist-packages/nbclassic/__init__.py' },
];

/** Installs (as root) or skips loudly; under CI=true a missing package throws. */
export function requireJupyterHub(suite: string): Availability {
  return requireDebianPackages(suite, PACKAGES);
}

export type HubOptions = {
  /** git `url.<to>.insteadOf <from>`: e.g. from "https://github.com/" to "file:///tmp/mirror/". */
  mirror?: { from: string; to: string };
  /** Password of the dummy authenticator (any user name signs in with it). */
  password?: string;
  /** Bounded wait for the hub's API to answer, in ms. */
  startTimeout?: number;
  /**
   * The facility settings for fast launches (FAST_LAUNCH_ENVIRONMENT, FAST_LAUNCH_SPAWNER), all on by
   * default; bench/launch turns them off (false) or keeps one part to measure what each saves.
   */
  fastLaunch?: boolean | { environment: boolean; spawner: boolean };
  /**
   * Lines appended to jupyterhub_config.py once the hub's address is known (e.g. what
   * `ida-catalog stager --print-hub-config` prints); `work` is the hub's temporary folder.
   */
  extraConfig?: (hub: { url: string; work: string }) => string | Promise<string>;
};

/**
 * Single-user server environment a facility would reasonably use for fast launches, each measured with
 * bench/launch (before/after, same machine) and kept only because it helped:
 * - SETUPTOOLS_USE_DISTUTILS=stdlib: the classic notebook server imports `distutils.version`; with
 *   setuptools' distutils shim (the default since setuptools 60) that import drags in setuptools and
 *   pkg_resources, ≈0.3 s of every server start-up on this machine (`python3 -X importtime`). Python
 *   3.11's own distutils does the same job for the server. (Kernels inherit it: a user building a package
 *   with setuptools from a notebook gets the stdlib distutils, the pre-setuptools-60 behaviour. Python 3.12
 *   has no distutils: there, leave it unset.)
 * - NBCONVERT_DISABLE_CONFIG_EXPORTERS=1: each classic notebook page lists nbconvert's exporters, and by
 *   default instantiates every one with the user's config to drop disabled ones: ≈0.25 s per page load,
 *   ≈0.1 s with this documented nbconvert switch (the menu then also lists exporters a config disabled).
 */
export const FAST_LAUNCH_ENVIRONMENT: Record<string, string> = {
  SETUPTOOLS_USE_DISTUTILS: 'stdlib',
  NBCONVERT_DISABLE_CONFIG_EXPORTERS: '1',
};

/**
 * A local-process spawner whose start() returns once the new server accepts connections (a TCP connect
 * every 50 ms, bounded by start_timeout and by the process staying alive). Why: after start() the hub
 * checks the server over HTTP with a jittered exponential backoff (0.2 s × 2ⁿ, jupyterhub/utils.py
 * exponential_backoff), so a server that takes ≈1.5–2 s to start was noticed 1.2–2.8 s (medians of 5
 * launches) after it listened — measured from the hub's log by bench/launch; 0.07 s with this. The hub's first check is
 * immediate, so with this it succeeds at once. The hub still does its own HTTP check; nothing is skipped.
 */
const FAST_LAUNCH_SPAWNER = `
import asyncio
from jupyterhub.spawner import SimpleLocalProcessSpawner

class PromptLocalProcessSpawner(SimpleLocalProcessSpawner):
    async def start(self):
        ip, port = await super().start()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.start_timeout
        while loop.time() < deadline and self.proc.poll() is None:
            try:
                _, writer = await asyncio.open_connection(ip, port)
            except OSError:
                await asyncio.sleep(0.05)
                continue
            writer.close()
            break
        return ip, port

c.JupyterHub.spawner_class = PromptLocalProcessSpawner
`;

export type RunningHub = {
  /** Base URL, e.g. http://127.0.0.1:41234/ */
  url: string;
  password: string;
  /** Home directory of a user's single-user server. */
  homeOf: (user: string) => string;
  /** Everything the hub printed so far (for failure messages). */
  log: () => string;
  /** The hub's temporary folder (config, database, homes); removed by stop(). */
  work: string;
  stop: () => Promise<void>;
};

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const killAll = () => {
    for (const child of running) killGroup(child, 'SIGKILL');
  };
  process.once('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killAll();
      process.exit(130);
    });
  }
}

/** The hub runs in its own process group so its proxy and single-user servers go with it. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const py = (value: unknown) => JSON.stringify(value);

export async function startJupyterHub(options: HubOptions = {}): Promise<RunningHub> {
  const work = await mkdtemp(path.join(tmpdir(), 'ida-hub-'));
  const homes = path.join(work, 'home');
  await mkdir(homes, { recursive: true });
  const [port, hubPort, apiPort] = [await freePort(), await freePort(), await freePort()];
  const password = options.password ?? 'launch-test';
  const fast = typeof options.fastLaunch === 'object' ? options.fastLaunch : { environment: options.fastLaunch !== false, spawner: options.fastLaunch !== false };
  const environment: Record<string, string> = {
    JUPYTERHUB_SINGLEUSER_APP: 'notebook.notebookapp.NotebookApp',
    // Keep the user's git quiet and independent of the machine's config.
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
    ...(fast.environment ? FAST_LAUNCH_ENVIRONMENT : {}),
  };
  if (options.mirror) {
    Object.assign(environment, {
      GIT_CONFIG_COUNT: '2',
      GIT_CONFIG_KEY_0: `url.${options.mirror.to}.insteadOf`,
      GIT_CONFIG_VALUE_0: options.mirror.from,
      GIT_CONFIG_KEY_1: 'safe.directory',
      GIT_CONFIG_VALUE_1: '*',
    });
  }
  const config = [
    `c.JupyterHub.bind_url = ${py(`http://127.0.0.1:${port}`)}`,
    `c.JupyterHub.hub_ip = '127.0.0.1'`,
    `c.JupyterHub.hub_port = ${hubPort}`,
    `c.ConfigurableHTTPProxy.api_url = ${py(`http://127.0.0.1:${apiPort}`)}`,
    `c.ConfigurableHTTPProxy.command = [${py(PROXY)}]`,
    `c.JupyterHub.db_url = ${py(`sqlite:///${path.join(work, 'jupyterhub.sqlite')}`)}`,
    `c.JupyterHub.cookie_secret_file = ${py(path.join(work, 'cookie_secret'))}`,
    `c.JupyterHub.pid_file = ${py(path.join(work, 'hub.pid'))}`,
    fast.spawner ? FAST_LAUNCH_SPAWNER : `c.JupyterHub.spawner_class = 'simple'`,
    `c.SimpleLocalProcessSpawner.home_dir_template = ${py(path.join(homes, '{username}'))}`,
    `c.Spawner.cmd = [${py(SINGLEUSER)}]`,
    `c.Spawner.args = ['--allow-root']`,
    `c.Spawner.ip = '127.0.0.1'`,
    `c.Spawner.default_url = '/tree'`,
    `c.Spawner.http_timeout = 60`,
    `c.Spawner.start_timeout = 60`,
    `c.Spawner.environment = ${py(environment)}`,
    `c.JupyterHub.authenticator_class = 'dummy'`,
    `c.DummyAuthenticator.password = ${py(password)}`,
    `c.JupyterHub.cleanup_servers = True`,
    '',
  ].join('\n') + (options.extraConfig ? `\n${await options.extraConfig({ url: `http://127.0.0.1:${port}/`, work })}\n` : '');
  const configFile = path.join(work, 'jupyterhub_config.py');
  await writeFile(configFile, config);

  const nodePath = ['/usr/share/nodejs', process.env.NODE_PATH].filter(Boolean).join(':');
  const child = spawn(JUPYTERHUB, ['-f', configFile], {
    cwd: work,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_PATH: nodePath, PATH: `/usr/bin:/bin:${process.env.PATH ?? ''}` },
  });
  installExitHook();
  running.add(child);
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', () => running.delete(child));

  const url = `http://127.0.0.1:${port}/`;
  const stop = async () => {
    killGroup(child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
    // The proxy and the single-user servers share the hub's process group.
    if (child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // group already empty
      }
    }
    await rm(work, { recursive: true, force: true }).catch(() => undefined);
  };

  const deadline = Date.now() + (options.startTimeout ?? 30_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`jupyterhub exited with ${child.exitCode} before answering:\n${output.slice(-3000)}`);
    const ready = await fetch(`${url}hub/api`, { signal: AbortSignal.timeout(2_000) })
      .then(async (response) => response.ok && typeof (await response.json()).version === 'string')
      .catch(() => false);
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`jupyterhub did not answer on ${url}hub/api within ${options.startTimeout ?? 30_000} ms:\n${output.slice(-3000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { url, password, homeOf: (user) => path.join(homes, user), log: () => output, work, stop };
}

/** The version the hub reports (a cheap liveness check). */
export async function hubVersion(hub: RunningHub): Promise<string> {
  const response = await fetch(`${hub.url}hub/api`, { signal: AbortSignal.timeout(5_000) });
  return ((await response.json()) as { version: string }).version;
}
