/** The pure parts of the Zenodo source: the repository a record names, a record's fields, the client's waits, the source's id. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { SourcesFile, sourceId } from '../../catalog/contract/index.js';
import { repositoryKey } from '../../catalog/contract/index.js';
import { rateLimitWaitSeconds } from '../../crawler/http/polite.js';
import { createZenodo } from '../../crawler/zenodo/client.js';
import { parseRecord, parseSearchPage, zenodoLicense } from '../../crawler/zenodo/records.js';
import { repositoryUrl } from '../../crawler/zenodo/repository-url.js';
import { recordJson, startZenodoServer } from '../support/zenodo-server/index.js';

describe('repositoryUrl', () => {
  it.each([
    ['https://github.com/cta-observatory/ctapipe/tree/v0.19.0', false, 'https://github.com/cta-observatory/ctapipe'],
    ['git+https://github.com/Owner/Name.git', true, 'https://github.com/Owner/Name'],
    ['http://github.com/owner/name/', false, 'https://github.com/owner/name'],
    ['https://gitlab.in2p3.fr/escape2020/wp3/eossr/-/tree/v1.0', false, 'https://gitlab.in2p3.fr/escape2020/wp3/eossr'],
    ['https://git.astron.nl/astron-sdc/escape-wp5/workflows/muon-hunter', false, 'https://git.astron.nl/astron-sdc/escape-wp5/workflows/muon-hunter'],
    ['https://example.org/some/project.git', false, 'https://example.org/some/project'],
    ['https://example.org/some/project', true, 'https://example.org/some/project'],
  ])('%s → %s', (text, anyHost, url) => {
    expect(repositoryUrl(text, anyHost)).toEqual({ ok: true, url });
  });

  it.each([
    ['https://example.org/project-homepage', false, /not on a known forge/],
    ['https://127.0.0.1/x/y', true, /not a public host/],
    ['https://intranet/x/y', true, /not a public host/],
    ['https://github.com/only-owner', true, /names no repository/],
    ['javascript:alert(1)', true, /not a usable URL/],
    ['https://user:pw@github.com/a/b', true, /not a usable URL/],
    [42, true, /no URL/],
  ])('refuses %s', (text, anyHost, reason) => {
    const verdict = repositoryUrl(text, anyHost);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.reason).toMatch(reason);
  });

  it('compares GitHub repositories without case, .git or a trailing slash; other hosts keep path case', () => {
    expect(repositoryKey('https://github.com/Astro-Org/Alpha.git')).toBe(repositoryKey('https://github.com/astro-org/alpha/'));
    expect(repositoryKey('https://git.example.org/Group/P')).not.toBe(repositoryKey('https://git.example.org/group/p'));
  });
});

describe('parseRecord', () => {
  const origin = 'https://zenodo.org';
  it('reads what the crawler keeps from the legacy record JSON', () => {
    const hit = recordJson(
      {
        id: 11,
        conceptId: 10,
        title: 'Title <b>bold</b>',
        communities: ['escape2020'],
        keywords: ['jupyter-notebook', '  ', 'gammapy'],
        creators: [{ name: 'Doe, Jane', orcid: '0000-0002-1825-0097' }, { name: 'Doe, Jane' }],
        license: 'cc-by-4.0',
        description: '<p>Hello <a href="javascript:x">world</a></p><script>evil()</script>',
        supplementTo: ['https://github.com/a/b/tree/v1'],
        files: { 'codemeta.json': { codeRepository: 'https://github.com/a/b' } },
      },
      origin,
    );
    const parsed = parseRecord(hit);
    expect(parsed).toEqual({
      record: {
        id: '11',
        doi: '10.5281/zenodo.10',
        title: 'Title bold',
        authors: ['Doe, Jane'],
        license: 'CC-BY-4.0',
        keywords: ['jupyter-notebook', 'gammapy'],
        description: 'Hello world',
        supplementTo: ['https://github.com/a/b/tree/v1'],
        codemeta: { url: 'https://zenodo.org/api/records/11/files/codemeta.json/content', size: expect.any(Number) },
      },
    });
  });

  it('drops a malformed field, keeps the record; reports a record without an id or a DOI', () => {
    const hit = recordJson({ id: 21, title: 'T', communities: [] }, origin) as Record<string, any>;
    hit.metadata.creators = 'not a list';
    hit.metadata.license = { name: 'no id' };
    hit.files = [{ key: 'codemeta.json', links: 'nope' }];
    const parsed = parseRecord(hit);
    expect(parsed).toMatchObject({ record: { id: '21', authors: [], license: null, codemeta: null } });
    expect(parseRecord({ ...hit, doi: 'nope', conceptdoi: undefined, metadata: { ...hit.metadata, doi: undefined } })).toEqual({ error: 'record 21: has no DOI' });
    expect(parseRecord({ metadata: {} })).toMatchObject({ error: expect.stringMatching(/^record \?: not a Zenodo record/) });
    expect(parseSearchPage({ hits: 'no' })).toMatchObject({ error: expect.stringMatching(/no hits\.hits list/) });
    expect(parseSearchPage({ hits: { hits: [], total: 0 }, links: { self: 'x' } })).toEqual({ hits: [], next: null });
  });

  it('maps Zenodo licence ids to SPDX', () => {
    expect(zenodoLicense('mit-license')).toBe('MIT');
    expect(zenodoLicense('CC-BY-4.0')).toBe('CC-BY-4.0');
    expect(zenodoLicense('apache-2.0')).toBe('Apache-2.0');
    expect(zenodoLicense('other-open')).toBe('other-open');
    expect(zenodoLicense(null)).toBeNull();
  });
});

describe('the Zenodo client', () => {
  it('reads retry-after as seconds or a date, else x-ratelimit-reset', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(rateLimitWaitSeconds(new Headers({ 'retry-after': '7' }), now)).toBe(7);
    expect(rateLimitWaitSeconds(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }), now)).toBe(30);
    expect(rateLimitWaitSeconds(new Headers({ 'x-ratelimit-reset': String(now / 1000 + 12) }), now)).toBe(12);
    expect(rateLimitWaitSeconds(new Headers({}), now)).toBeNull();
  });

  it('gives up on a rate limit longer than it waits, and on a 5xx after its retries, saying so', async () => {
    const server = await startZenodoServer({ retryAfter: 3600, fault: (url) => (url.includes('page=1') ? '429' : '500') });
    try {
      const zenodo = createZenodo({ baseUrl: server.api, retryAfterBaseValue: 1, maxWaitSeconds: 60, retries: 2 });
      await expect(zenodo.getJson(`${server.api}/records?page=1`, 1000)).rejects.toThrow(/retry-after 3600s is over the 60s we wait/);
      await expect(zenodo.getJson(`${server.api}/records?page=2`, 1000)).rejects.toThrow(/HTTP 500 after 3 attempts/);
      expect(server.stats.byPath['/api/records']).toBe(1 + 3);
      await expect(zenodo.getJson('https://elsewhere.example.org/api/records', 1000)).rejects.toThrow(/not under the Zenodo API/);
      expect(server.stats.requests).toBe(4);
    } finally {
      await server.close();
    }
  });
});

describe('the Zenodo client against a server that misbehaves', () => {
  it('stops reading a body without a length at the cap, and follows no redirect off the API', async () => {
    let requests = 0;
    const server = http.createServer((request, response) => {
      requests += 1;
      if (request.url?.startsWith('/api/redirect')) {
        response.writeHead(302, { location: 'https://evil.example.com/api/records' });
        return response.end();
      }
      if (request.url?.startsWith('/api/moved')) {
        response.writeHead(301, { location: '/api/endless' });
        return response.end();
      }
      if (request.url?.startsWith('/api/endless')) {
        response.writeHead(302, { location: '/api/endless' });
        return response.end();
      }
      // Chunked, no content-length: only counting what arrives can stop it.
      response.writeHead(200, { 'content-type': 'application/json' });
      let sent = 0;
      const write = () => {
        if (sent >= 100 || response.destroyed) return response.end();
        sent += 1;
        response.write(`"${'x'.repeat(1000)}"`, () => setImmediate(write));
      };
      write();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
    try {
      const zenodo = createZenodo({ baseUrl: api, retryAfterBaseValue: 1, retries: 1 });
      await expect(zenodo.getJson(`${api}/records`, 4000)).rejects.toThrow(/over the 4000-byte cap/);
      await expect(zenodo.getJson(`${api}/redirect`, 4000)).rejects.toThrow(/redirected \/api\/redirect to https:\/\/evil\.example\.com, outside the API/);
      await expect(zenodo.getJson(`${api}/moved`, 4000)).rejects.toThrow(/more than 3 times/);
      expect(requests).toBe(1 + 1 + 4); // the moved one: its request and three redirects followed
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('the zenodo source in sources.yaml', () => {
  it('derives its id from the community and keywords, and refuses a keyword that would break the query', () => {
    const file = SourcesFile.parse({ sources: [{ zenodo: { community: 'escape2020', keywords: ['jupyter-notebook'] } }, { zenodo: { community: 'escape2020' } }] });
    expect(file.sources.map(sourceId)).toEqual(['zenodo-escape2020-jupyter-notebook', 'zenodo-escape2020']);
    expect(SourcesFile.safeParse({ sources: [{ zenodo: { community: 'escape2020', keywords: ['a" OR "b'] } }] }).success).toBe(false);
    expect(SourcesFile.safeParse({ sources: [{ zenodo: { community: 'escape 2020' } }] }).success).toBe(false);
    expect(SourcesFile.safeParse({ sources: [{ zenodo: { community: 'escape2020', extra: 1 } }] }).success).toBe(false);
  });
});
