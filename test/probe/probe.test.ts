/**
 * The facility probe against loopback servers that behave like real hubs and like broken ones: a hub API
 * that answers its version, a BinderHub (versions, a failing health), a staging service's info with kernels,
 * and servers that hang, redirect off the facility's host, answer garbage or too much, or are closed. And what
 * must not happen: a request to a loopback host for a facility not listed privateNetwork, by name or by
 * what a public-looking name resolves to; one unreachable night erasing what was known.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FacilityStatusFile, type Facility } from '../../catalog/contract/index.js';
import type { Resolve } from '../../catalog/net/public-lookup.js';
import { probeFacility, probeTargets } from '../../crawler/probe/facility.js';
import { probeGet } from '../../crawler/probe/http.js';
import { runProbe } from '../../crawler/probe/run.js';
import { freePort } from '../support/jupyterhub.js';

const LIMITS = { timeoutMs: 700, maxBytes: 4096, maxRedirects: 2 };
const work = mkdtempSync(path.join(os.tmpdir(), 'ida-probe-test-'));

type Handler = (request: IncomingMessage, response: ServerResponse) => void;
const servers: Server[] = [];
const sockets = new Set<Socket>();
const hits: string[] = [];

async function serve(handler: Handler): Promise<string> {
  const server = createServer((request, response) => {
    hits.push(`${server.address() && (server.address() as AddressInfo).port}${request.url}`);
    handler(request, response);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

const json = (response: ServerResponse, status: number, value: unknown) => {
  response.writeHead(status, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify(value));
};

let hub: string;
let hubUnderPrefix: string;
let binder: string;
let staging: string;
let hanging: string;
let offHost: string;
let garbage: string;
let huge: string;
let loop: string;
let closed: string;

beforeAll(async () => {
  hub = await serve((request, response) => (request.url === '/hub/api' ? json(response, 200, { version: '4.1.5' }) : json(response, 404, {})));
  hubUnderPrefix = await serve((request, response) => {
    // A hub that moved its API: the old path redirects on the same host.
    if (request.url === '/jupyter/hub/api') return response.writeHead(301, { Location: '/jupyter2/hub/api' }).end();
    if (request.url === '/jupyter2/hub/api') return json(response, 200, { version: '5.2.1' });
    json(response, 404, {});
  });
  binder = await serve((request, response) => {
    if (request.url === '/versions') return json(response, 200, { builder: 'quay.io/jupyterhub/repo2docker:2024.07.0', binderhub: '1.0.0-0.dev.git.3614.h6f1e2a4' });
    if (request.url === '/health') return json(response, 503, { ok: false, checks: [{ service: 'Docker registry', ok: true }, { service: 'JupyterHub API', ok: false }] });
    json(response, 404, {});
  });
  staging = await serve((request, response) => {
    if (request.url === '/services/stager/info') {
      return json(response, 200, {
        service: 'ida-catalog stager',
        version: '0.1.0',
        kernels: { seenAt: '2026-12-01T10:00:00Z', specs: [{ name: 'python3', displayName: 'Python 3', language: 'python' }, { name: 'ir', displayName: 'R', language: 'R' }, { name: '<script>', language: 'x' }] },
      });
    }
    if (request.url === '/hub/api') return json(response, 200, { version: '3.0.0' });
    json(response, 404, {});
  });
  hanging = await serve(() => {
    // Never answers: the probe's timeout must end it.
  });
  offHost = await serve((_request, response) => response.writeHead(302, { Location: 'http://evil.example.net/hub/api' }).end());
  garbage = await serve((request, response) => {
    if (request.url === '/hub/api') {
      response.writeHead(200, { 'Content-Type': 'text/html' });
      return response.end('<html><body>{"version": "9.9.9"} is not JSON here</body></html>');
    }
    if (request.url === '/versions') return json(response, 200, ['not', 'an', 'object']);
    if (request.url === '/health') return json(response, 200, { ok: 'yes' });
    json(response, 404, {});
  });
  huge = await serve((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end(`{"version": "1.0.0", "pad": "${'x'.repeat(100_000)}"}`);
  });
  loop = await serve((request, response) => response.writeHead(302, { Location: `${request.url}x` }).end());
  closed = `http://127.0.0.1:${await freePort()}/`;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  rmSync(work, { recursive: true, force: true });
});

function facility(id: string, overrides: Partial<Facility>): Facility {
  return { id, name: id, url: hub, type: 'jupyterhub', interfaces: ['notebook'], defaultInterface: 'notebook', access: 'public', privateNetwork: true, ...overrides } as Facility;
}

const get = (privateOk = true) => (url: string, options: { followRedirects: boolean }) => probeGet(url, { allowPrivate: privateOk, limits: LIMITS, followRedirects: options.followRedirects });
const at = () => new Date('2026-12-06T02:17:00.000Z');

describe('facility probe on loopback servers', () => {
  it('asks each kind of facility the right endpoints', () => {
    expect(probeTargets({ type: 'jupyterhub', url: 'https://sdc.astron.nl/hub/', staging: 'https://sdc.astron.nl/services/stager' })).toEqual([
      { endpoint: 'hub-api', url: 'https://sdc.astron.nl/hub/api' },
      { endpoint: 'staging-info', url: 'https://sdc.astron.nl/services/stager/info' },
    ]);
    expect(probeTargets({ type: 'binderhub', url: 'http://jupyter.jive.nl/binderhub/' }).map((target) => target.url)).toEqual(['http://jupyter.jive.nl/binderhub/versions', 'http://jupyter.jive.nl/binderhub/health']);
    expect(probeTargets({ type: 'other', url: 'https://esap-rosetta.oats.inaf.it/' })).toEqual([{ endpoint: 'page', url: 'https://esap-rosetta.oats.inaf.it/' }]);
  });

  it('reads a JupyterHub version, and kernels from its staging service', async () => {
    const status = await probeFacility(facility('hub', { url: staging, staging: `${staging}services/stager/` }), get(), at);
    expect(status.state).toBe('up');
    expect(status.version).toBe('3.0.0');
    expect(status.stagingVersion).toBe('0.1.0');
    // Sorted by name, language lower-cased, a name that is not a kernel name dropped.
    expect(status.kernels).toEqual([
      { name: 'ir', displayName: 'R', language: 'r' },
      { name: 'python3', displayName: 'Python 3', language: 'python' },
    ]);
    expect(status.lastUpAt).toBe('2026-12-06T02:17:00.000Z');
    expect(status.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('follows a redirect on the same host', async () => {
    const status = await probeFacility(facility('moved', { url: `${hubUnderPrefix}jupyter/` }), get(), at);
    expect([status.state, status.version]).toEqual(['up', '5.2.1']);
  });

  it('reads a BinderHub version and reports a failing health check as degraded, naming it', async () => {
    const status = await probeFacility(facility('binder', { type: 'binderhub', url: binder }), get(), at);
    expect(status.state).toBe('degraded');
    expect(status.version).toBe('1.0.0-0.dev.git.3614.h6f1e2a4');
    expect(status.checks.find((check) => check.endpoint === 'binder-health')).toMatchObject({ ok: false, status: 503, reason: 'health check failing: JupyterHub API' });
    expect(status.lastUpAt).toBeUndefined();
  });

  it('gives up on a server that hangs, within the timeout: down', async () => {
    const started = Date.now();
    const status = await probeFacility(facility('hangs', { url: hanging }), get(), at);
    expect(Date.now() - started).toBeLessThan(LIMITS.timeoutMs + 1_000);
    expect(status.state).toBe('down');
    expect(status.checks[0]!.reason).toBe(`no answer within ${LIMITS.timeoutMs} ms`);
  });

  it('never follows a redirect off the facility host: degraded, with the reason', async () => {
    const before = hits.length;
    const status = await probeFacility(facility('off-host', { url: offHost }), get(), at);
    expect(status.state).toBe('degraded');
    expect(status.checks[0]!.reason).toBe("redirects off the facility's host (to evil.example.net); not followed");
    expect(hits.length - before).toBe(1);
  });

  it('stops after a few redirects', async () => {
    const status = await probeFacility(facility('loops', { url: loop }), get(), at);
    expect(status.state).toBe('degraded');
    expect(status.checks[0]!.reason).toBe(`more than ${LIMITS.maxRedirects} redirects`);
  });

  it('tolerates garbage: HTML for JSON, an array, a health that is not a boolean', async () => {
    const jupyter = await probeFacility(facility('garbage-hub', { url: garbage }), get(), at);
    expect(jupyter.state).toBe('degraded');
    expect(jupyter.version).toBeUndefined();
    expect(jupyter.checks[0]!.reason).toBe('answered HTTP 200 but not with a JSON object (text/html)');
    const binderhub = await probeFacility(facility('garbage-binder', { type: 'binderhub', url: garbage }), get(), at);
    expect(binderhub.state).toBe('degraded');
    expect(binderhub.checks.map((check) => check.reason)).toEqual(['answered HTTP 200 but not with a JSON object (application/json)', 'BinderHub /health did not say ok']);
  });

  it('cuts off an answer larger than the cap', async () => {
    const status = await probeFacility(facility('huge', { url: huge }), get(), at);
    expect(status.state).toBe('degraded');
    expect(status.checks[0]!.reason).toBe(`answer larger than ${LIMITS.maxBytes} bytes`);
  });

  it('a closed port is down: connection refused', async () => {
    const status = await probeFacility(facility('closed', { url: closed }), get(), at);
    expect(status.state).toBe('down');
    expect(status.checks[0]!.reason).toBe('connection refused');
  });

  it('asks no loopback host for a facility not listed privateNetwork, by name or by resolved address', async () => {
    const before = hits.length;
    const byName = await probeGet(`${hub}hub/api`, { allowPrivate: false, limits: LIMITS });
    expect(byName).toEqual({ answered: false, reason: 'not probed: 127.0.0.1 is a loopback address (this machine) (list the facility with privateNetwork: true if that is right)' });
    // A public-looking name whose DNS answer is 127.0.0.1 (DNS rebinding): refused on the resolved address.
    const port = new URL(hub).port;
    const resolve: Resolve = (_name, _options, callback) => callback(null, [{ address: '127.0.0.1', family: 4 }]);
    const byAddress = await probeGet(`http://hub.ida-probe-test.org:${port}/hub/api`, { allowPrivate: false, limits: LIMITS, resolve });
    expect(byAddress.answered).toBe(false);
    expect((byAddress as { reason: string }).reason).toBe('not probed: hub.ida-probe-test.org resolves to 127.0.0.1, a loopback address (this machine) (list the facility with privateNetwork: true if that is right)');
    expect(hits.length - before).toBe(0);
  });
});

describe("the probe reads the project's real staging service", () => {
  it('its /info: version, and kernels once a job has seen them', async () => {
    const { createStagerServer, STAGER_VERSION } = await import('../../stager/server.js');
    const { StagerConfig } = await import('../../catalog/contract/index.js');
    const prefix = '/services/stager/';
    const env = {
      apiToken: 'x'.repeat(32),
      apiUrl: `${hub}hub/api`,
      hubUrl: new URL(hub),
      serviceUrl: new URL('http://127.0.0.1:0'),
      prefix,
      clientId: 'service-stager',
      callbackUrl: `${prefix}oauth_callback`,
      baseUrl: '/',
    };
    const stager = createStagerServer({ env, config: StagerConfig.parse({}), log: () => {} });
    await new Promise<void>((resolve) => stager.server.listen(0, '127.0.0.1', resolve));
    try {
      const staging = `http://127.0.0.1:${(stager.server.address() as AddressInfo).port}${prefix}`;
      const before = await probeFacility(facility('staged', { url: hub, staging }), get(), at);
      expect([before.state, before.version, before.stagingVersion, before.kernels]).toEqual(['up', '4.1.5', STAGER_VERSION, undefined]);
      stager.jobs.kernelsSeen = { seenAt: '2026-12-06T01:00:00.000Z', specs: [{ name: 'python3', displayName: 'Python 3 (ipykernel)', language: 'python' }] };
      const after = await probeFacility(facility('staged', { url: hub, staging }), get(), at);
      expect(after.kernels).toEqual([{ name: 'python3', displayName: 'Python 3 (ipykernel)', language: 'python' }]);
    } finally {
      await stager.close();
    }
  });
});

describe('ida-catalog probe (runProbe): the file', () => {
  const yaml = (entries: string[]) => `${entries.join('\n')}\n`;
  const entry = (id: string, url: string, extra = '') =>
    `- id: ${id}\n  name: ${id}\n  url: ${url}\n  type: jupyterhub\n  interfaces: [notebook]\n  defaultInterface: notebook\n  access: public\n  plainHttp: true\n  privateNetwork: true\n${extra}`;

  it('writes sorted, contract-valid statuses, and keeps the last known version and kernels of a facility that went down', async () => {
    const facilities = path.join(work, 'facilities.yaml');
    const out = path.join(work, 'catalog');
    writeFileSync(facilities, yaml([entry('zeta-hub', staging, `  staging: ${staging}services/stager/\n`), entry('alpha-hub', hub)]));
    const first = await runProbe({ facilities, out, limits: LIMITS, now: at, log: () => {} });
    expect(first.exitCode).toBe(0);
    const written = FacilityStatusFile.parse(JSON.parse(readFileSync(first.file, 'utf8')));
    expect(written.items.map((item) => [item.id, item.state, item.version])).toEqual([
      ['alpha-hub', 'up', '4.1.5'],
      ['zeta-hub', 'up', '3.0.0'],
    ]);
    // Same answers at the same time: the same file but for the measured latencies.
    const withoutLatency = (text: string) => text.replace(/"latencyMs": \d+/g, '"latencyMs": 0');
    const bytes = readFileSync(first.file, 'utf8');
    await runProbe({ facilities, out, limits: LIMITS, now: at, log: () => {} });
    expect(withoutLatency(readFileSync(first.file, 'utf8'))).toBe(withoutLatency(bytes));

    // The next night zeta's hub is gone (its port closed): down, but what was known stays, with when.
    writeFileSync(facilities, yaml([entry('zeta-hub', closed, `  staging: ${closed}services/stager/\n`), entry('alpha-hub', hub)]));
    const later = () => new Date('2026-12-07T02:17:00.000Z');
    const second = await runProbe({ facilities, out, limits: LIMITS, now: later, log: () => {} });
    const zeta = second.statuses.find((status) => status.id === 'zeta-hub')!;
    expect(zeta.state).toBe('down');
    expect(zeta.checkedAt).toBe('2026-12-07T02:17:00.000Z');
    expect(zeta.version).toBe('3.0.0');
    expect(zeta.kernels?.map((kernel) => kernel.name)).toEqual(['ir', 'python3']);
    expect(zeta.lastUpAt).toBe('2026-12-06T02:17:00.000Z');
  });

  it('writes nothing when no facility answers at all (this machine offline), keeping the last observations', async () => {
    const facilities = path.join(work, 'offline.yaml');
    const out = path.join(work, 'catalog');
    const before = readFileSync(path.join(out, 'facility-status.json'), 'utf8');
    writeFileSync(facilities, yaml([entry('zeta-hub', closed), entry('alpha-hub', hanging)]));
    const lines: string[] = [];
    const result = await runProbe({ facilities, out, limits: LIMITS, now: at, log: (line) => lines.push(line) });
    expect(result.exitCode).toBe(1);
    expect(lines.at(-1)).toBe("probe: none of the 2 facilities answered; more likely this machine's network than every facility at once: facility-status.json unchanged");
    expect(readFileSync(path.join(out, 'facility-status.json'), 'utf8')).toBe(before);
  });

  it('refuses an invalid facilities file with its problems, writing nothing', async () => {
    const facilities = path.join(work, 'bad.yaml');
    writeFileSync(facilities, yaml([entry('bad-hub', hub, '  launcher: binderhub\n')]));
    const lines: string[] = [];
    const result = await runProbe({ facilities, out: path.join(work, 'untouched'), limits: LIMITS, log: (line) => lines.push(line) });
    expect(result.exitCode).toBe(2);
    expect(lines.join("\n")).toMatch(/bad\.yaml:\d+:\d+.*launcher "binderhub" does not work on a facility of type "jupyterhub"/);
  });
});

describe('facility status on the site: pure parts', () => {
  it('"checked N … ago" from the ISO time and now, never negative', async () => {
    const { checkedAgo, statusView } = await import('../../site/lib/facility-status.js');
    const now = new Date('2026-12-06T12:00:00Z');
    expect(checkedAgo('2026-12-06T11:59:40Z', now)).toBe('checked just now');
    expect(checkedAgo('2026-12-06T11:59:00Z', now)).toBe('checked 1 minute ago');
    expect(checkedAgo('2026-12-06T09:17:00Z', now)).toBe('checked 2 hours ago');
    expect(checkedAgo('2026-12-04T13:00:00Z', now)).toBe('checked 47 hours ago');
    expect(checkedAgo('2026-11-26T12:00:00Z', now)).toBe('checked 10 days ago');
    expect(checkedAgo('2026-12-07T12:00:00Z', now)).toBe('checked just now'); // a clock behind the probe's
    expect(checkedAgo('not a time', now)).toBeNull();
    expect(statusView(undefined)).toEqual({ state: 'unknown', label: 'Not checked yet', checkedAt: null, checkedText: null });
    expect(statusView({ state: 'degraded', checkedAt: '2026-12-06T02:17:00.000Z' })).toEqual({ state: 'degraded', label: 'Degraded', checkedAt: '2026-12-06T02:17:00.000Z', checkedText: 'checked 2026-12-06 02:17 UTC' });
  });

  it('validate checks facility-status.json when present, with its position', async () => {
    const { validateCatalog } = await import('../../catalog/validate/index.js');
    const dir = path.join(work, 'validate');
    const { writeCatalog } = await import('../fixtures/site/catalogs.js');
    await writeCatalog(dir, [], []);
    expect((await validateCatalog(dir)).problems).toEqual([]);
    const item = { id: 'a-hub', state: 'up', checkedAt: '2026-12-06T02:17:00Z', checks: [] };
    writeFileSync(path.join(dir, 'facility-status.json'), JSON.stringify({ schemaVersion: 1, kind: 'facility-status', items: [item, { ...item, state: 'sideways' }, item] }, null, 2));
    expect((await validateCatalog(dir)).problems.map((problem) => problem.text.replace(dir, 'DIR'))).toEqual([
      'DIR/facility-status.json:13:16: items[1].state: "sideways" is not allowed; use one of "up", "degraded", "down"',
    ]);
    writeFileSync(path.join(dir, 'facility-status.json'), JSON.stringify({ schemaVersion: 1, kind: 'facility-status', items: [item, item] }, null, 2));
    expect((await validateCatalog(dir)).problems.map((problem) => problem.text.replace(dir, 'DIR'))).toEqual([
      'DIR/facility-status.json:12:13: items[1].id: duplicate facility id "a-hub" (first at items[0])',
    ]);
  });
});
