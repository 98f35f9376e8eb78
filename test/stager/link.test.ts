import { describe, expect, it } from 'vitest';
import { parseHostPattern, type HostPattern } from '../../catalog/contract/index.js';
import { stagingUrl } from '../../site/lib/launch/staging.js';
import { checkStagingLink, type LinkContext } from '../../stager/link.js';

const HUB = 'https://hub.example.org/';
const context: LinkContext = {
  hubUrl: new URL(HUB),
  patterns: ['data.example.org', '*.archive.org', 'doi.org', '127.0.0.1:9000'].map((entry) => parseHostPattern(entry) as HostPattern),
  maxDatasets: 3,
};

const LAUNCH = `${HUB}hub/user-redirect/git-pull?repo=${encodeURIComponent('https://github.com/o/demo')}&branch=main&urlpath=${encodeURIComponent('tree/demo/nb/first%20look.ipynb')}&targetPath=demo`;

/** A link as the site writes it (site/lib/launch/staging.ts), then changed by `edit`. */
function link(edit: (params: URLSearchParams) => void = () => undefined): URLSearchParams {
  const href = stagingUrl({
    staging: `${HUB}services/stager/`,
    facilityId: 'hub',
    workflowId: 'o-demo-first-look',
    launch: LAUNCH,
    folder: 'demo',
    datasets: [
      { kind: 'url', url: 'https://data.example.org/a%20b.fits', title: 'A' },
      { kind: 'doi', url: 'https://doi.org/10.5281/zenodo.42', id: '10.5281/zenodo.42', title: 'Z' },
    ],
  })!;
  const params = new URL(href).searchParams;
  edit(params);
  return params;
}

function problems(params: URLSearchParams): string[] {
  const checked = checkStagingLink(params, context);
  expect(checked.ok).toBe(false);
  return checked.ok ? [] : checked.problems;
}

describe('the v1 staging link', () => {
  it('reads what the site writes', () => {
    const checked = checkStagingLink(link(), context);
    expect(checked).toEqual({
      ok: true,
      request: {
        version: 1,
        facility: 'hub',
        workflow: 'o-demo-first-look',
        into: 'demo/data',
        datasets: [
          { kind: 'url', url: 'https://data.example.org/a%20b.fits', title: 'a b.fits' },
          { kind: 'doi', url: 'https://doi.org/10.5281/zenodo.42', id: '10.5281/zenodo.42', title: 'DOI 10.5281/zenodo.42' },
        ],
        launch: { repo: 'https://github.com/o/demo', branch: 'main', targetPath: 'demo', urlpath: 'tree/demo/nb/first%20look.ipynb', notebook: 'demo/nb/first look.ipynb' },
      },
    });
  });

  it('refuses other format versions and a missing one', () => {
    expect(problems(link((p) => p.set('v', '2')))).toEqual(['This link is in staging format v=2; this service reads v=1.']);
    expect(problems(link((p) => p.delete('v')))[0]).toMatch(/not a staging link/);
  });

  it('refuses data hosts outside allowHosts, naming them', () => {
    const checked = checkStagingLink(link((p) => {
      p.append('dataset', 'url:https://evil.example.net/x');
      p.set('dataset', 'url:http://127.0.0.1:9001/x');
    }), context);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.refusedHosts).toEqual(['127.0.0.1:9001']);
    for (const host of ['http://169.254.169.254/latest', 'http://localhost:9000/x', 'http://10.0.0.1/x', 'https://archive.org.evil.net/x']) {
      expect(problems(link((p) => p.set('dataset', `url:${host}`))).join(' ')).toMatch(/not a host this facility lets its users stage from/);
    }
    expect(checkStagingLink(link((p) => p.set('dataset', 'url:https://a.archive.org/x')), context).ok).toBe(true);
    expect(checkStagingLink(link((p) => p.set('dataset', 'url:http://127.0.0.1:9000/x')), context).ok).toBe(true);
  });

  it('refuses hostile data sets, too many, and none', () => {
    for (const entry of ['url:javascript:alert(1)', 'url:file:///etc/passwd', 'ftp:https://data.example.org/x', 'url:https://u:p@data.example.org/x', 'https://data.example.org/x', 'doi:https://data.example.org/x']) {
      expect(problems(link((p) => p.set('dataset', entry))).length, entry).toBeGreaterThan(0);
    }
    expect(problems(link((p) => ['1', '2', '3'].forEach((n) => p.append('dataset', `url:https://data.example.org/${n}`)))).join(' ')).toMatch(/at most 3/);
    expect(problems(link((p) => p.delete('dataset')))).toContain('The link carries no data set.');
  });

  it('keeps the data inside the workflow folder', () => {
    for (const into of ['../x', '/etc', 'demo/../../x', '.ssh', 'demo/.ssh', 'other/data', 'demo', '~/demo', 'demo/da\nta', '']) {
      expect(problems(link((p) => p.set('into', into))).length, JSON.stringify(into)).toBeGreaterThan(0);
    }
    expect(checkStagingLink(link((p) => p.set('into', 'demo/data/raw')), context).ok).toBe(true);
  });

  it('continues only to this hub, to a notebook, inside the clone folder', () => {
    const launch = (edit: (url: URL) => void) =>
      link((p) => {
        const url = new URL(LAUNCH);
        edit(url);
        p.set('launch', url.href);
      });
    expect(problems(launch((u) => (u.host = 'evil.example.net'))).join(' ')).toMatch(/must be this hub's nbgitpuller link/);
    expect(problems(launch((u) => (u.protocol = 'http:'))).join(' ')).toMatch(/must be this hub's nbgitpuller link/);
    expect(problems(launch((u) => (u.pathname = '/hub/user-redirect/other/git-pull'))).join(' ')).toMatch(/must be this hub's nbgitpuller link/);
    expect(problems(launch((u) => u.searchParams.set('urlpath', 'rstudio/'))).join(' ')).toMatch(/opens "rstudio", not a notebook/);
    for (const urlpath of ['tree/demo/../../../user/bob/tree/x.ipynb', 'tree/demo/%2e%2e/x.ipynb', 'tree/other/x.ipynb', 'tree/demo/x.py', '//evil.example.net/x.ipynb', 'tree/demo/x%00.ipynb']) {
      expect(problems(launch((u) => u.searchParams.set('urlpath', urlpath))).length, urlpath).toBeGreaterThan(0);
    }
    for (const repo of ['file:///etc', 'javascript:alert(1)', '/srv/repo', '']) {
      expect(problems(launch((u) => u.searchParams.set('repo', repo))).length, repo).toBeGreaterThan(0);
    }
    for (const branch of ['--upload-pack=x', 'a b', 'a..b', '']) {
      expect(problems(launch((u) => u.searchParams.set('branch', branch))).length, branch).toBeGreaterThan(0);
    }
    expect(problems(launch((u) => u.searchParams.set('targetPath', '.ssh'))).length).toBeGreaterThan(0);
    // JupyterLab's view of the same notebook is fine.
    expect(checkStagingLink(launch((u) => u.searchParams.set('urlpath', 'lab/tree/demo/nb/first%20look.ipynb')), context).ok).toBe(true);
  });
});
