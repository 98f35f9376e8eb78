/**
 * The launch world (test/launch/e2e/world.ts: a real Debian JupyterHub, a git mirror, the built site) with
 * the staging service registered the way operators do it, through the lines
 * `ida-catalog stager --print-hub-config` prints, plus a loopback data server the stager's config allows,
 * and an R notebook beside the Python one. Shared by test/stager/e2e.test.ts and bench/stage.
 */
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import type { Facility } from '../../catalog/contract/index.js';
import { requireDebianPackages, type Availability } from '../support/debian.js';
import { freePort, requireJupyterHub } from '../support/jupyterhub.js';
import { projectRoot } from '../support/build-site.js';
import { LOCAL_HUB_ID, REPO, startLaunchWorld, testFacilities, type ExtraNotebook, type LaunchWorld } from '../launch/e2e/world.js';

export const R_WORKFLOW_ID = 'ida-test-launch-demo-r-look';
export const R_NOTEBOOK = 'notebooks/r look.ipynb';
export const R_HEADING = 'R launch test';
export const DATA_FILE = 'sample-data.csv';
/** Bytes that survive only an exact copy: text, a NUL, bytes above 0x7f, CRLF. */
export const DATA_BYTES = Buffer.concat([Buffer.from('ra,dec,flux\r\n10.68,41.27,3.5\r\n'), Buffer.from([0, 1, 2, 0xfe, 0xff, 0x80]), Buffer.from('\nend\n')]);

const exec = promisify(execFile);

export function rNotebookJson(): string {
  const cells = [
    { cell_type: 'markdown', metadata: {}, source: [`# ${R_HEADING}\n`] },
    { cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source: ['cat("ida-catalog R launch\\n")'] },
  ];
  return `${JSON.stringify({ cells, metadata: { kernelspec: { name: 'ir', display_name: 'R', language: 'R' }, language_info: { name: 'R' } }, nbformat: 4, nbformat_minor: 5 }, null, 1)}\n`;
}

export const R_EXTRA: ExtraNotebook = {
  id: R_WORKFLOW_ID,
  title: 'R look (launch test)',
  path: R_NOTEBOOK,
  json: rNotebookJson(),
  kernel: { name: 'ir', displayName: 'R', language: 'R' },
  runtimePlatform: 'R',
};

/** Debian packages beyond the hub's: the R kernel for the R notebook. */
export function requireStagingPackages(suite: string): Availability {
  const hub = requireJupyterHub(suite);
  if (!hub.ok) return hub;
  return requireDebianPackages(suite, [{ name: 'r-cran-irkernel', provides: '/usr/share/jupyter/kernels/ir/kernel.json' }]);
}

export type DataServer = { url: string; host: string; requests: Array<{ method: string; path: string }>; close: () => Promise<void> };

/** Serves DATA_BYTES at /files/<DATA_FILE> (GET and HEAD, with Content-Length) on 127.0.0.1. */
export async function startDataServer(): Promise<DataServer> {
  const requests: DataServer['requests'] = [];
  const server: Server = createServer((request, response) => {
    const pathname = decodeURIComponent((request.url ?? '/').split('?')[0]!);
    requests.push({ method: request.method ?? '', path: pathname });
    if (pathname === `/files/${DATA_FILE}`) {
      response.writeHead(200, { 'Content-Type': 'text/csv', 'Content-Length': DATA_BYTES.length });
      response.end(request.method === 'HEAD' ? undefined : DATA_BYTES);
      return;
    }
    response.writeHead(404, { 'Content-Type': 'text/plain' });
    response.end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/files/${encodeURIComponent(DATA_FILE)}`,
    host: `127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export type StagingWorld = LaunchWorld & {
  data: DataServer;
  /** The staging service's base URL on the hub, e.g. http://127.0.0.1:PORT/services/stager/ */
  stagerUrl: string;
  /** What --print-hub-config printed (appended to the hub's config). */
  hubConfig: string;
  /** The user's copy of the staged data file. */
  stagedFile: (user: string) => string;
};

export function stagingFacilities(hubUrl: string): Facility[] {
  return testFacilities(hubUrl).map((facility) =>
    facility.id === LOCAL_HUB_ID ? { ...facility, staging: `${hubUrl}services/stager/`, languages: ['python', 'r'] } : facility,
  );
}

/** Runs the real CLI: `ida-catalog stager --print-hub-config --url … --config …`. */
export async function printHubConfig(url: string, configFile: string): Promise<string> {
  const { stdout } = await exec(process.execPath, [path.join(projectRoot, 'bin', 'ida-catalog.mjs'), 'stager', '--print-hub-config', '--url', url, '--config', configFile], { cwd: projectRoot, timeout: 60_000 });
  return stdout;
}

export async function startStagingWorld(options: { execute?: boolean; fastLaunch?: boolean } = {}): Promise<StagingWorld> {
  const data = await startDataServer();
  let hubConfig = '';
  try {
    const stagerPort = await freePort();
    const world = await startLaunchWorld({
      hub: {
        fastLaunch: options.fastLaunch,
        extraConfig: async ({ url, work }) => {
          const configFile = path.join(work, 'stager.yaml');
          await writeFile(configFile, stringify({ hubUrl: url, allowHosts: [data.host], execute: options.execute ?? true }));
          hubConfig = await printHubConfig(`http://127.0.0.1:${stagerPort}`, configFile);
          return hubConfig;
        },
      },
      facilities: stagingFacilities,
      siteEnv: { IDA_PRIVATE_DATA_HOSTS: data.host },
      notebooks: [R_EXTRA],
    });
    const stagerUrl = `${world.hub.url}services/stager/`;
    // The hub starts the service with itself; wait (bounded) until it answers through the proxy.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const ok = await fetch(`${stagerUrl}info`, { signal: AbortSignal.timeout(2_000) }).then((response) => response.ok, () => false);
      if (ok) break;
      if (Date.now() > deadline) {
        const log = world.hub.log().slice(-3000);
        await world.close();
        throw new Error(`the staging service did not answer at ${stagerUrl}info within 30 s:\n${log}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return {
      ...world,
      data,
      stagerUrl,
      hubConfig,
      stagedFile: (user) => path.join(world.hub.homeOf(user), REPO, 'data', DATA_FILE),
      close: async () => {
        await world.close();
        await data.close();
      },
    };
  } catch (error) {
    await data.close();
    throw error;
  }
}
