/**
 * The stager's HTTP surface in-process, against a hub that is down: sign-in redirects, refusals of
 * forged requests, `info`, and clear pages (never a stack) when the hub does not answer.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StagerConfig } from '../../catalog/contract/index.js';
import type { HubEnvironment } from '../../stager/environment.js';
import { createStagerServer, type StagerServer } from '../../stager/server.js';
import { freePort } from '../support/jupyterhub.js';

const TOKEN = 'service-secret-0123456789';
const PREFIX = '/services/stager/';
let stager: StagerServer;
let base: string;
let hub: string;
const logged: string[] = [];

beforeAll(async () => {
  const closed = await freePort();
  hub = `http://127.0.0.1:${closed}/`;
  const env: HubEnvironment = {
    apiToken: TOKEN,
    apiUrl: `${hub}hub/api`,
    hubUrl: new URL(hub),
    serviceUrl: new URL('http://127.0.0.1:0'),
    prefix: PREFIX,
    clientId: 'service-stager',
    callbackUrl: `${PREFIX}oauth_callback`,
    baseUrl: '/',
  };
  const config = StagerConfig.parse({ allowHosts: ['data.example.org'], execute: true });
  stager = createStagerServer({ env, config, log: (line) => logged.push(line) });
  await new Promise<void>((resolve) => stager.server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(stager.server.address() as AddressInfo).port}${PREFIX}`;
});

afterAll(() => stager.close());

const launch = () => `${hub}hub/user-redirect/git-pull?repo=${encodeURIComponent('https://github.com/o/demo')}&branch=main&urlpath=tree%2Fdemo%2Fa.ipynb&targetPath=demo`;
const linkQuery = () => `v=1&facility=hub&workflow=o-demo-a&into=demo%2Fdata&dataset=${encodeURIComponent('url:https://data.example.org/x.fits')}&launch=${encodeURIComponent(launch())}`;

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { redirect: 'manual', headers });

describe('stager HTTP surface', () => {
  it('info: versions, kinds, hosts and execute, without sign-in', async () => {
    const response = await get('info');
    expect(response.status).toBe(200);
    const info = await response.json();
    expect(info).toMatchObject({ service: 'ida-catalog stager', stagingFormats: [1], datasetKinds: ['url', 'doi', 'tap', 'rucio'], allowHosts: ['data.example.org'], execute: true, kernels: null });
    expect(typeof info.version).toBe('string');
  });

  it('a link without a session sends the browser to the hub\'s OAuth, with state and PKCE, and no secret', async () => {
    const response = await get(`?${linkQuery()}`);
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(`${hub}hub/api/oauth2/authorize`);
    expect(Object.fromEntries(location.searchParams)).toMatchObject({ client_id: 'service-stager', redirect_uri: `${PREFIX}oauth_callback`, response_type: 'code', code_challenge_method: 'S256', scope: 'servers!user access:servers!user read:users:name!user' });
    expect(location.searchParams.get('state')).toMatch(/^[\w-]{20,}$/);
    expect(location.href).not.toContain(TOKEN);
    const cookie = response.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toContain(`Path=${PREFIX}`);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('the hub being down gives a clear page, not a stack', async () => {
    const first = await get(`?${linkQuery()}`);
    const state = new URL(first.headers.get('location')!).searchParams.get('state')!;
    const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
    const response = await get(`oauth_callback?code=abc&state=${state}`, { Cookie: cookie });
    expect(response.status).toBe(502);
    const body = await response.text();
    expect(body).toContain('The hub did not answer');
    expect(body).not.toMatch(/\bat .*\.(ts|js):\d+/);
    expect(body).not.toContain(TOKEN);
    expect(logged.join('\n')).not.toContain(TOKEN);
    expect(logged.join('\n')).not.toContain('code=abc');
  });

  it('a link that cannot be used is refused before any sign-in, with a clear page', async () => {
    const response = await get(`?${linkQuery().replace('data.example.org', 'evil.example.net')}`);
    expect(response.status).toBe(403);
    const body = await response.text();
    expect(body).toContain('Data host not allowed');
    expect(body).toContain('evil.example.net, which is not a host this facility lets its users stage from');
    expect(body).toContain('(data.example.org)');
    expect(response.headers.get('set-cookie')).toBeNull();
    const wrong = await get(`?${linkQuery().replace('v=1', 'v=9')}`);
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('staging format v=9');
  });

  it('a callback this browser did not start is refused', async () => {
    const response = await get('oauth_callback?code=abc&state=forged');
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Open the staging link again');
  });

  it('a POST without a session, or not a form, is refused and does nothing', async () => {
    for (const init of <RequestInit[]>[
      { body: new URLSearchParams({ link: linkQuery(), csrf: 'x' }) },
      { body: JSON.stringify({ link: linkQuery() }), headers: { 'Content-Type': 'application/json' } },
      { body: new URLSearchParams({ link: linkQuery() }), headers: { Cookie: 'ida-stager-session=forged.value' } },
    ]) {
      const response = await fetch(`${base}stage`, { method: 'POST', redirect: 'manual', ...init });
      expect(response.status).toBe(403);
    }
    expect(logged.some((line) => line.startsWith('staged for'))).toBe(false);
  });

  it('jobs are private and unknown paths are 404; other methods 405', async () => {
    expect((await get('jobs/AAAAAAAAAAAAAAAAAAAAAAAA')).status).toBe(404);
    expect((await get('jobs/AAAAAAAAAAAAAAAAAAAAAAAA/status')).status).toBe(404);
    expect((await get('nothing')).status).toBe(404);
    expect((await fetch(`${base}`, { method: 'DELETE' })).status).toBe(405);
    expect((await fetch(`${base}info`, { method: 'POST' })).status).toBe(405);
  });
});
