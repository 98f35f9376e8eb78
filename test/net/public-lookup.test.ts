/**
 * The connect-time host rule shared by the facility probe and the stager's size check: a name is connected
 * to only when every address it resolves to is public. Resolution is a fixed table (no DNS); one request
 * goes through node:http to a loopback server to show the lookup is what http.request really uses.
 */
import type { LookupAddress } from 'node:dns';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { publicOnlyLookup, type Resolve } from '../../catalog/net/public-lookup.js';

const table: Record<string, LookupAddress[]> = {
  'public.example.org': [
    { address: '192.0.43.10', family: 4 },
    { address: '2001:500:88:200::10', family: 6 },
  ],
  'sneaky.example.org': [
    { address: '192.0.43.10', family: 4 },
    { address: '10.1.2.3', family: 4 },
  ],
  'loopback.example.org': [{ address: '127.0.0.1', family: 4 }],
};
const resolve: Resolve = (name, _options, callback) => (table[name] ? callback(null, table[name]!) : callback(Object.assign(new Error(`${name} not found`), { code: 'ENOTFOUND' }), []));

function lookupOf(name: string, options: object): Promise<{ error: NodeJS.ErrnoException | null; address: unknown; family?: number }> {
  const lookup = publicOnlyLookup(resolve) as unknown as (name: string, options: object, callback: (error: NodeJS.ErrnoException | null, address: unknown, family?: number) => void) => void;
  return new Promise((done) => lookup(name, options, (error, address, family) => done({ error, address, family })));
}

describe('publicOnlyLookup', () => {
  it('answers a public name with its first address, or all of them when asked', async () => {
    expect(await lookupOf('public.example.org', {})).toEqual({ error: null, address: '192.0.43.10', family: 4 });
    expect((await lookupOf('public.example.org', { all: true })).address).toEqual(table['public.example.org']);
  });

  it('refuses a name when any of its addresses is private or loopback, saying which (code EPRIVATE)', async () => {
    const sneaky = await lookupOf('sneaky.example.org', { all: true });
    expect(sneaky.error?.code).toBe('EPRIVATE');
    expect(sneaky.error?.message).toBe('sneaky.example.org resolves to 10.1.2.3, a private-network address');
    const loopback = await lookupOf('loopback.example.org', {});
    expect(loopback.error?.message).toBe('loopback.example.org resolves to 127.0.0.1, a loopback address (this machine)');
  });

  it('passes resolution errors through', async () => {
    expect((await lookupOf('nowhere.example.org', {})).error?.code).toBe('ENOTFOUND');
  });

  it('is the lookup http.request connects with: a public name for 127.0.0.1 never reaches the server', async () => {
    let reached = 0;
    const server = http.createServer((_request, response) => {
      reached += 1;
      response.end('hello');
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const port = (server.address() as AddressInfo).port;
    try {
      const error = await new Promise<NodeJS.ErrnoException>((done, fail) => {
        const request = http.request(`http://loopback.example.org:${port}/`, { lookup: publicOnlyLookup(resolve), agent: false }, () => fail(new Error('answered')));
        request.on('error', done);
        request.end();
      });
      expect(error.code).toBe('EPRIVATE');
      expect(reached).toBe(0);
    } finally {
      await new Promise<void>((done) => server.close(() => done()));
    }
  });
});
