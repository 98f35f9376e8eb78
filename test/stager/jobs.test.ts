/**
 * A staging job against a loopback stand-in for the hub and a user's server that speaks the same REST
 * shapes (hub API /user and /users/<name>/server, nbgitpuller's event stream, the contents and
 * kernelspecs APIs): the paths the real end-to-end suite does not take — execute off, a kernel language
 * without a code cell, a server that will not start, a pull that fails.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INotebookContent } from '@jupyterlab/nbformat';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { StagerConfig } from '../../catalog/contract/index.js';
import type { HubEnvironment } from '../../stager/environment.js';
import { Jobs, type Job } from '../../stager/jobs.js';
import type { StagingRequest } from '../../stager/link.js';

const TOKEN = 'user-token-abc';
const NOTEBOOK = 'demo/nb/a b.ipynb';

type World = {
  notebook: INotebookContent;
  saved: INotebookContent | null;
  requests: string[];
  serverStarts: boolean;
  pull: 'ok' | 'error';
  running: boolean;
  posted: boolean;
};
let world: World;
let server: Server;
let base: string;

function notebook(language: string, kernel: string): INotebookContent {
  return { cells: [{ cell_type: 'markdown', metadata: {}, source: '# Demo' }], metadata: { kernelspec: { name: kernel, display_name: kernel, language } }, nbformat: 4, nbformat_minor: 5 };
}

async function body(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

beforeAll(async () => {
  server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    world.requests.push(`${request.method} ${url.pathname}`);
    const json = (status: number, value: unknown) => {
      response.writeHead(status, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(value));
    };
    if (request.headers.authorization !== `token ${TOKEN}`) return json(403, { message: 'no' });
    if (url.pathname === '/hub/api/user') return json(200, { name: 'ada', servers: world.running ? { '': { ready: true } } : world.posted && world.serverStarts ? { '': { ready: false, pending: 'spawn' } } : {} });
    if (url.pathname === '/hub/api/users/ada/server' && request.method === 'POST') {
      world.posted = true;
      if (world.serverStarts) setTimeout(() => (world.running = true), 150);
      return json(202, {});
    }
    if (url.pathname === '/user/ada/api/kernelspecs') return json(200, { default: 'python3', kernelspecs: { python3: { name: 'python3', spec: { display_name: 'Python 3', language: 'python', argv: [] }, resources: {} }, octave: { name: 'octave', spec: { display_name: 'Octave', language: 'octave', argv: [] }, resources: {} } } });
    if (url.pathname === '/user/ada/git-pull/api') {
      response.writeHead(200, { 'Content-Type': 'text/event-stream' });
      response.write(`data: ${JSON.stringify({ phase: 'syncing', output: 'Cloning into demo...' })}\n\n`);
      response.end(world.pull === 'ok' ? `data: ${JSON.stringify({ phase: 'finished' })}\n\n` : `data: ${JSON.stringify({ phase: 'error', message: "fatal: repository 'x' not found", output: 'fatal' })}\n\n`);
      return;
    }
    if (url.pathname === `/user/ada/api/contents/${NOTEBOOK.split('/').map(encodeURIComponent).join('/')}`) {
      if (request.method === 'GET') return json(200, { name: 'a b.ipynb', path: NOTEBOOK, type: 'notebook', format: 'json', content: world.notebook, writable: true, created: '', last_modified: '', mimetype: null });
      if (request.method === 'PUT') {
        world.saved = (JSON.parse(await body(request)) as { content: INotebookContent }).content;
        return json(200, { name: 'a b.ipynb', path: NOTEBOOK, type: 'notebook', format: null, content: null, writable: true, created: '', last_modified: '', mimetype: null });
      }
    }
    json(404, { message: `not here: ${request.method} ${url.pathname}` });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  world = { notebook: notebook('python', 'python3'), saved: null, requests: [], serverStarts: true, pull: 'ok', running: false, posted: false };
});

function jobs(execute: boolean): Jobs {
  const env: HubEnvironment = { apiToken: 'service', apiUrl: `${base}hub/api`, hubUrl: new URL(base), serviceUrl: new URL('http://127.0.0.1:1'), prefix: '/services/stager/', clientId: 'service-stager', callbackUrl: '/services/stager/oauth_callback', baseUrl: '/' };
  return new Jobs(env, StagerConfig.parse({ execute, allowHosts: ['data.example.org'], limits: { serverStartSeconds: 5 } }), () => undefined);
}

const request: StagingRequest = {
  version: 1,
  facility: 'hub',
  workflow: 'o-demo-a-b',
  into: 'demo/data',
  datasets: [{ kind: 'url', url: 'https://data.example.org/x.fits', title: 'X' }],
  launch: { repo: 'https://github.com/o/demo', branch: 'main', targetPath: 'demo', urlpath: 'tree/demo/nb/a%20b.ipynb', notebook: NOTEBOOK },
};

async function finished(all: Jobs, job: Job): Promise<Job> {
  for (let i = 0; i < 100 && job.state === 'running'; i += 1) await all.changed(job, 100);
  return job;
}

describe('a staging job', () => {
  it('execute off: starts the server, pulls, writes the cell at the top, runs nothing, and goes to the notebook', async () => {
    const all = jobs(false);
    const job = await finished(all, all.start('ada', TOKEN, request));
    expect(job.error).toBeNull();
    expect(job.state).toBe('done');
    expect(job.redirect).toBe(`${base}user/ada/tree/demo/nb/a%20b.ipynb`);
    expect(world.saved!.cells).toHaveLength(2);
    expect(world.saved!.cells[0]).toMatchObject({ cell_type: 'code', metadata: { tags: ['ida-staging'] }, outputs: [], execution_count: null });
    expect(world.requests).toContain('POST /hub/api/users/ada/server');
    expect(world.requests.filter((line) => /\/api\/(sessions|kernels)(\/|$)/.test(line))).toEqual([]);
    expect(job.steps).toEqual(expect.arrayContaining(['Starting your server…', 'The workflow is in your home.']));
    expect(all.kernelsSeen?.specs.map((spec) => spec.name)).toEqual(['octave', 'python3']);
    expect(all.get(job.id, 'someone-else')).toBeNull();
  });

  it('a kernel language without a staging language gets the instructions as markdown, even with execute on', async () => {
    world.notebook = notebook('octave', 'octave');
    const all = jobs(true);
    const job = await finished(all, all.start('ada', TOKEN, request));
    expect(job.state).toBe('done');
    expect(world.saved!.cells[0]).toMatchObject({ cell_type: 'markdown', metadata: { tags: ['ida-staging'] } });
    expect(world.requests.some((line) => line.includes('/api/sessions'))).toBe(false);
  });

  it('a server that does not start, and a pull that fails, end in a message for the user; nothing is written', async () => {
    world.serverStarts = false;
    let all = jobs(false);
    let job = await finished(all, all.start('ada', TOKEN, request));
    expect(job.state).toBe('failed');
    expect(job.error).toMatch(/Your server stopped while starting/);
    expect(world.saved).toBeNull();

    world = { ...world, serverStarts: true, running: true, pull: 'error', requests: [] };
    all = jobs(false);
    job = await finished(all, all.start('ada', TOKEN, request));
    expect(job.state).toBe('failed');
    expect(job.error).toContain("nbgitpuller could not pull https://github.com/o/demo: fatal: repository 'x' not found");
    expect(world.saved).toBeNull();
  });
});
