import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../catalog/contract/index.js';
import { MAX_STAGING_URL, dataInstructions, shellQuote, stagingUrl } from '../../site/lib/launch/index.js';

const datasets: Dataset[] = [
  { url: 'https://archive.example.org/a.fits', kind: 'url', title: 'A' },
  { url: 'https://doi.org/10.5281/zenodo.1', kind: 'doi', title: 'Z', id: '10.5281/zenodo.1' },
  { url: 'https://tap.example.org/tap/sync?QUERY=SELECT%201', kind: 'tap', title: 'T' },
  { url: 'https://rucio.example.org/did?scope=s&name=n', kind: 'rucio', title: 'R', id: 's:n' },
];
const input = { staging: 'https://stage.example.org/go?token=keep', facilityId: 'hub', workflowId: 'wf', launch: 'https://hub.example.org/hub/user-redirect/git-pull?repo=x', folder: 'repo', datasets };

describe('stagingUrl', () => {
  it('carries the version, facility, workflow, target folder, every dataset in order and the Launch link', () => {
    const url = new URL(stagingUrl(input)!);
    expect(url.origin + url.pathname).toBe('https://stage.example.org/go');
    expect(url.searchParams.get('token')).toBe('keep');
    expect(url.searchParams.get('v')).toBe('1');
    expect(url.searchParams.get('facility')).toBe('hub');
    expect(url.searchParams.get('workflow')).toBe('wf');
    expect(url.searchParams.get('into')).toBe('repo/data');
    expect(url.searchParams.getAll('dataset')).toEqual([
      'url:https://archive.example.org/a.fits',
      'doi:https://doi.org/10.5281/zenodo.1',
      'tap:https://tap.example.org/tap/sync?QUERY=SELECT%201',
      'rucio:https://rucio.example.org/did?scope=s&name=n',
    ]);
    expect(url.searchParams.get('launch')).toBe(input.launch);
  });
  it('no datasets, a hostile service, launch or dataset URL → no staging link', () => {
    expect(stagingUrl({ ...input, datasets: [] })).toBeNull();
    expect(stagingUrl({ ...input, staging: 'javascript:alert(1)' })).toBeNull();
    expect(stagingUrl({ ...input, launch: 'data:text/html,x' })).toBeNull();
    expect(stagingUrl({ ...input, datasets: [{ url: 'javascript:alert(1)', kind: 'url', title: 'x' }] })).toBeNull();
  });
  it('past the length limit there is no staging link (the caller falls back to instructions)', () => {
    const many = Array.from({ length: 200 }, (_, index) => ({ url: `https://archive.example.org/${'x'.repeat(40)}/${index}.fits`, kind: 'url' as const, title: 't' }));
    expect(stagingUrl({ ...input, datasets: many })).toBeNull();
    expect(stagingUrl({ ...input, datasets: many.slice(0, 10) })!.length).toBeLessThan(MAX_STAGING_URL);
  });
});

describe('dataInstructions', () => {
  it('gives one copy-ready command per dataset into the data folder', () => {
    const text = dataInstructions(datasets, 'repo');
    expect(text.split('\n')[0]).toBe("mkdir -p 'repo/data' && cd 'repo/data'");
    expect(text).toContain("curl -fLO --retry 3 'https://archive.example.org/a.fits'");
    expect(text).toContain("-o 'tap-result-3.xml' 'https://tap.example.org/tap/sync?QUERY=SELECT%201'");
    expect(text).toContain('open https://doi.org/10.5281/zenodo.1');
    expect(text).toContain("rucio download 's:n'  # Rucio server: https://rucio.example.org");
  });
  it('titles cannot break out of their comment line; URLs are single-quoted', () => {
    const text = dataInstructions([{ url: "https://e.org/it's", kind: 'url', title: 'x\nrm -rf ~' }], 'repo');
    expect(text.split('\n')).toEqual(["mkdir -p 'repo/data' && cd 'repo/data'", '# x rm -rf ~', "curl -fLO --retry 3 'https://e.org/it'\\''s'"]);
    expect(shellQuote("a'b")).toBe("'a'\\''b'");
  });
});
