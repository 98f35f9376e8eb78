import { describe, expect, it } from 'vitest';
import { Dataset } from '../../catalog/contract/index.js';
import { classifyDataset, cleanTitle, doiUrl, parsePrivateDataHosts, refusedDataset } from '../../site/lib/launch/index.js';
import { HOSTILE_URLS } from './fixtures.js';

function ok(input: string, title?: string) {
  const result = classifyDataset(input, title);
  if (!result.ok) throw new Error(`expected ${input} to be accepted: ${result.error}`);
  expect(Dataset.safeParse(result.dataset).success).toBe(true);
  return result.dataset;
}

function refused(input: unknown): string {
  const result = classifyDataset(input);
  expect(result.ok).toBe(false);
  return result.ok ? '' : result.error;
}

describe('classifyDataset', () => {
  it('plain URL → kind url, title from the file name unless given', () => {
    expect(ok('https://archive.example.org/data/run%2042.fits')).toEqual({ url: 'https://archive.example.org/data/run%2042.fits', kind: 'url', title: 'run 42.fits' });
    expect(ok('https://archive.example.org/', 'My data').title).toBe('My data');
    expect(ok('https://archive.example.org/').title).toBe('archive.example.org');
  });
  it('DOIs in every usual spelling → kind doi, resolver URL, bare DOI in id', () => {
    for (const input of ['10.5281/zenodo.123', 'doi:10.5281/zenodo.123', 'DOI: 10.5281/zenodo.123', 'https://doi.org/10.5281/zenodo.123', 'http://dx.doi.org/10.5281/zenodo.123']) {
      expect(ok(input)).toEqual({ url: 'https://doi.org/10.5281/zenodo.123', kind: 'doi', id: '10.5281/zenodo.123', title: 'DOI 10.5281/zenodo.123' });
    }
    expect(doiUrl('10.1000/a<b>#c')).toBe('https://doi.org/10.1000/a%3Cb%3E%23c');
  });
  it('IVOA TAP queries → kind tap (sync/async with QUERY, or REQUEST=doQuery)', () => {
    expect(ok('https://gea.esac.esa.int/tap-server/tap/sync?REQUEST=doQuery&LANG=ADQL&QUERY=SELECT+TOP+10+*+FROM+gaiadr3.gaia_source').kind).toBe('tap');
    expect(ok('https://tap.example.org/tap/async?query=SELECT%201').kind).toBe('tap');
    expect(ok('https://tap.example.org/tap/sync').kind).toBe('url');
    expect(ok('https://tap.example.org/tap/sync?QUERY=x').title).toBe('TAP query on tap.example.org');
  });
  it('Rucio DID links (web UI and REST) → kind rucio with the DID', () => {
    expect(ok('https://rucio-ui.example.org/did?scope=user.jdoe&name=run42.raw')).toMatchObject({ kind: 'rucio', id: 'user.jdoe:run42.raw' });
    expect(ok('https://rucio.example.org/dids/escape_cta/lst1/run1.h5')).toMatchObject({ kind: 'rucio', id: 'escape_cta:lst1/run1.h5' });
    expect(ok('https://rucio.example.org/replicas/s/n')).toMatchObject({ kind: 'rucio', id: 's:n' });
  });
  it('a bare Rucio DID is refused with a pointer to what is needed', () => {
    expect(refused('user.jdoe:run42.raw')).toMatch(/Rucio DID.*Rucio server/);
  });
  it.each(HOSTILE_URLS)('refuses %j with a message', (input) => {
    expect(refused(input)).toMatch(/\S/);
  });
  it('explains what was wrong', () => {
    expect(refused('javascript:alert(1)')).toBe('Only http(s) links can be added; a "javascript:" link was refused.');
    expect(refused('//evil.example.org/x')).toMatch(/protocol-relative/);
    expect(refused('https://u:p@example.org/')).toMatch(/user name or password/);
    expect(refused('https://example.org/a\r\nb')).toMatch(/line breaks/);
    expect(refused('not a link')).toMatch(/not a link/);
    expect(refused(undefined)).toBe('No data set link was given.');
  });
  it('titles are single-line plain text: controls and bidi overrides removed, length capped', () => {
    expect(cleanTitle('  a\r\n\tb\u202e c ')).toBe('a b c');
    expect(cleanTitle('x'.repeat(400))).toHaveLength(300);
    expect(cleanTitle(42)).toBe('');
    expect(ok('https://e.org/x', '<img src=x onerror=alert(1)>').title).toBe('<img src=x onerror=alert(1)>');
  });
});

describe('data sets on loopback, private and link-local hosts', () => {
  const LOCAL = [
    ['http://127.0.0.1:8080/data.fits', 'a loopback address (this machine)'],
    ['http://localhost/data.fits', 'loopback'],
    ['http://[::1]:9000/x', 'loopback'],
    ['http://0x7f.1/x', 'read by browsers as "127.0.0.1"'],
    ['https://10.0.0.7/x', 'a private-network address'],
    ['https://192.168.1.20/tap/sync?QUERY=SELECT%201', 'private-network'],
    ['https://rucio.internal/did?scope=s&name=n', 'private-network'],
    ['https://fileserver/x', 'private-network'],
    ['http://169.254.169.254/latest/meta-data/', 'a link-local address'],
    ['http://[fe80::1]/x', 'link-local'],
    ['http://0.0.0.0:8000/', 'reserved'],
  ] as const;

  it.each(LOCAL)('refuses %s, saying why and what to do', (input, what) => {
    const error = refused(input);
    expect(error).toContain(what);
    if (!what.includes('read by browsers')) expect(error).toMatch(/any web page can send you such a link.*Give the data set's public address.*IDA_PRIVATE_DATA_HOSTS/);
  });

  it('accepts what the build allows with IDA_PRIVATE_DATA_HOSTS: a host on any port, or host:port exactly', () => {
    const allowed = parsePrivateDataHosts(' 127.0.0.1:8080 , data.intranet,[::1]:9000, localhost:80');
    expect(allowed).toEqual([
      { hostname: '127.0.0.1', port: '8080' },
      { hostname: 'data.intranet', port: null },
      { hostname: '[::1]', port: '9000' },
      { hostname: 'localhost', port: '80' },
    ]);
    const ok = (input: string) => classifyDataset(input, undefined, allowed).ok;
    expect(ok('http://127.0.0.1:8080/data.fits')).toBe(true);
    expect(ok('http://127.0.0.1:8081/data.fits')).toBe(false);
    expect(ok('http://127.0.0.1/data.fits')).toBe(false);
    expect(ok('https://data.intranet:4443/x')).toBe(true);
    expect(ok('http://[::1]:9000/x')).toBe(true);
    expect(ok('http://localhost/x')).toBe(true);
    expect(ok('https://localhost/x')).toBe(false);
    expect(ok('http://10.0.0.7/x')).toBe(false);
    expect(parsePrivateDataHosts(undefined)).toEqual([]);
    expect(parsePrivateDataHosts(' , ')).toEqual([]);
  });

  it.each(['http://127.0.0.1', '127.0.0.1:99999', 'a b', 'user@host', 'host/path', '[::1'])('a bad IDA_PRIVATE_DATA_HOSTS entry (%s) stops the build with what to write', (entry) => {
    expect(() => parsePrivateDataHosts(`127.0.0.1:1,${entry}`)).toThrow(`IDA_PRIVATE_DATA_HOSTS: "${entry}" is not a host or host:port; write e.g. IDA_PRIVATE_DATA_HOSTS=127.0.0.1:8080,data.intranet`);
  });

  it('an imported cart with such a data set is refused, naming it', () => {
    const datasets = [
      { url: 'https://archive.example.org/a.fits', kind: 'url', title: 'Fine' },
      { url: 'http://169.254.169.254/latest/', kind: 'url', title: 'Metadata' },
    ] as const;
    expect(refusedDataset(datasets)).toMatch(/^“Metadata”: 169\.254\.169\.254 is a link-local address/);
    expect(refusedDataset(datasets.slice(0, 1))).toBeNull();
    expect(refusedDataset(datasets, parsePrivateDataHosts('169.254.169.254'))).toBeNull();
  });

  it('the refusals of the one URL rule reach the cart with their advice', () => {
    expect(refused('https:archive.example.org/x')).toBe('The link was refused: "https:archive.example.org/x" must be written out as "https://" followed by the host, e.g. "https://example.org/"; browsers would guess the rest.');
    expect(refused('https://\u0430pple.com/data')).toMatch(/mixes Cyrillic and Latin letters/);
  });
});

describe('Dataset contract', () => {
  it('requires the DOI or DID for those kinds and refuses id elsewhere', () => {
    expect(Dataset.safeParse({ url: 'https://doi.org/10.1/x', kind: 'doi', title: 't' }).success).toBe(false);
    expect(Dataset.safeParse({ url: 'https://doi.org/10.1/x', kind: 'doi', title: 't', id: 'nope' }).success).toBe(false);
    expect(Dataset.safeParse({ url: 'https://r.org/did', kind: 'rucio', title: 't', id: 'bad did' }).success).toBe(false);
    // a scope starting with "-" would reach `rucio download` as an option
    expect(Dataset.safeParse({ url: 'https://r.org/did', kind: 'rucio', title: 't', id: '-x:--dir=/etc' }).success).toBe(false);
    expect(Dataset.safeParse({ url: 'https://r.org/did', kind: 'rucio', title: 't', id: 'x-y:-n' }).success).toBe(true);
    expect(Dataset.safeParse({ url: 'https://e.org/', kind: 'url', title: 't', id: 'x' }).success).toBe(false);
    expect(Dataset.safeParse({ url: 'javascript:alert(1)', kind: 'url', title: 't' }).success).toBe(false);
  });
});
