import { describe, expect, it } from 'vitest';
import {
  binderUrl,
  canLaunch,
  cloneFolder,
  downloadUrl,
  encodeRepoPath,
  interfaceUrlPath,
  launchUrl,
  nbgitpullerUrl,
  rawFileUrl,
  repositoryAtCommitUrl,
  safeHref,
  safeWebUrl,
} from '../../site/lib/launch/index.js';
import { Interface } from '../../catalog/contract/index.js';
import { COMMIT, HOSTILE_URLS, facility, repo, workflow } from './fixtures.js';

/** Every produced link must be an absolute http(s) URL without credentials or whitespace. */
function expectWebHref(href: string | null): asserts href is string {
  expect(href).not.toBeNull();
  const url = new URL(href!);
  expect(['http:', 'https:']).toContain(url.protocol);
  expect(url.username + url.password).toBe('');
  expect(href).not.toMatch(/[\s\u0000-\u001f\u007f]/);
}

describe('safeWebUrl', () => {
  it.each(HOSTILE_URLS)('refuses %j', (value) => {
    expect(safeWebUrl(value)).toBeNull();
    expect(safeHref(value)).toBeNull();
  });
  it.each([null, undefined, 42, {}, ['https://example.org/']])('refuses non-strings (%j)', (value) => {
    expect(safeWebUrl(value)).toBeNull();
  });
  it('accepts http and https, normalising to an href', () => {
    expect(safeHref('https://Example.ORG/a?b=1#c')).toBe('https://example.org/a?b=1#c');
    expect(safeHref('http://127.0.0.1:8000/hub/')).toBe('http://127.0.0.1:8000/hub/');
  });
  it('turns a unicode host into punycode, never into a lookalike href', () => {
    expect(safeHref('https://exämple.org/')).toBe('https://xn--exmple-cua.org/');
  });
});

describe('repository paths', () => {
  it.each(['../x.ipynb', 'a/../../x.ipynb', '/etc/passwd', 'a//b.ipynb', 'a\\b.ipynb', 'a/./b', 'x\n.ipynb', ''])('refuses %j', (path) => {
    expect(encodeRepoPath(path)).toBeNull();
    expect(rawFileUrl(repo(), path)).toBeNull();
    expect(interfaceUrlPath('lab', 'x', path)).toBeNull();
    expect(nbgitpullerUrl({ hub: 'https://hub.example.org/', repository: repo(), path, ui: 'lab' })).toBeNull();
    expect(binderUrl({ binder: 'https://mybinder.org/', repository: repo(), path, ui: 'lab' })).toBeNull();
  });
  it('encodes each segment so ?, # and % stay part of the file name', () => {
    expect(encodeRepoPath('dir one/a?b#c%d.ipynb')).toBe('dir%20one/a%3Fb%23c%25d.ipynb');
    expect(encodeRepoPath('données/ñ.ipynb')).toBe('donn%C3%A9es/%C3%B1.ipynb');
  });
});

describe('download and repository at the commit', () => {
  it('GitHub: raw.githubusercontent.com and /blob|tree/{commit}', () => {
    expect(downloadUrl(workflow())).toBe(`https://raw.githubusercontent.com/astropy/astropy-tutorials/${COMMIT}/tutorials/intro.ipynb`);
    expect(repositoryAtCommitUrl(repo())).toBe(`https://github.com/astropy/astropy-tutorials/tree/${COMMIT}`);
    expect(repositoryAtCommitUrl(repo(), 'a b/c.ipynb')).toBe(`https://github.com/astropy/astropy-tutorials/blob/${COMMIT}/a%20b/c.ipynb`);
  });
  it('GitHub: a .git suffix or trailing slash on the URL does not leak into the link', () => {
    expect(rawFileUrl(repo({ url: 'https://github.com/o/r.git' }), 'x.ipynb')).toBe(`https://raw.githubusercontent.com/o/r/${COMMIT}/x.ipynb`);
    expect(repositoryAtCommitUrl(repo({ url: 'https://github.com/o/r/' }))).toBe(`https://github.com/o/r/tree/${COMMIT}`);
  });
  it('GitHub Enterprise: {url}/raw/{commit}/{path}', () => {
    expect(rawFileUrl(repo({ url: 'https://github.example.edu/o/r' }), 'x.ipynb')).toBe(`https://github.example.edu/o/r/raw/${COMMIT}/x.ipynb`);
  });
  it('GitLab (with subgroups): {url}/-/raw and /-/blob|tree', () => {
    const gitlab = repo({ url: 'https://gitlab.com/group/sub/project', provider: 'gitlab' });
    expect(rawFileUrl(gitlab, 'nb/x.ipynb')).toBe(`https://gitlab.com/group/sub/project/-/raw/${COMMIT}/nb/x.ipynb`);
    expect(repositoryAtCommitUrl(gitlab)).toBe(`https://gitlab.com/group/sub/project/-/tree/${COMMIT}`);
    expect(repositoryAtCommitUrl(gitlab, 'nb/x.ipynb')).toBe(`https://gitlab.com/group/sub/project/-/blob/${COMMIT}/nb/x.ipynb`);
  });
  it('generic git: no raw or browse URL', () => {
    const git = repo({ url: 'https://git.example.org/x/y.git', provider: 'git' });
    expect(rawFileUrl(git, 'x.ipynb')).toBeNull();
    expect(repositoryAtCommitUrl(git)).toBeNull();
  });
  it('refuses a malformed commit or a hostile repository URL', () => {
    expect(rawFileUrl(repo({ commit: 'main' }), 'x.ipynb')).toBeNull();
    expect(repositoryAtCommitUrl(repo({ commit: `${COMMIT}\n` }))).toBeNull();
    for (const url of HOSTILE_URLS) {
      expect(rawFileUrl(repo({ url }), 'x.ipynb')).toBeNull();
      expect(repositoryAtCommitUrl(repo({ url }))).toBeNull();
    }
    expect(rawFileUrl(repo({ url: 'https://github.com/o/r?x=1' }), 'x.ipynb')).toBeNull();
    expect(rawFileUrl(repo({ url: 'https://github.com/' }), 'x.ipynb')).toBeNull();
  });
});

describe('interfaceUrlPath', () => {
  const cases: Array<[Interface, string | null, string]> = [
    ['lab', 'repo', 'lab/tree/repo/dir/nb.ipynb'],
    ['notebook', 'repo', 'tree/repo/dir/nb.ipynb'],
    ['retro', 'repo', 'retro/tree/repo/dir/nb.ipynb'],
    ['rstudio', 'repo', 'rstudio/'],
    ['shiny', 'repo', 'shiny/repo/dir/'],
    ['vscode', 'repo', 'vscode/'],
    ['desktop', 'repo', 'desktop/'],
    ['lab', null, 'lab/tree/dir/nb.ipynb'],
    ['notebook', null, 'tree/dir/nb.ipynb'],
    ['shiny', null, 'shiny/dir/'],
  ];
  it.each(cases)('%s (folder %j) → %s', (ui, folder, expected) => {
    expect(interfaceUrlPath(ui, folder, 'dir/nb.ipynb')).toBe(expected);
  });
  it('covers every interface of the contract', () => {
    for (const ui of Interface.options) expect(interfaceUrlPath(ui, 'r', 'n.ipynb')).toMatch(/^[a-z]+\//);
  });
  it('shiny at the repository root', () => {
    expect(interfaceUrlPath('shiny', null, 'app.ipynb')).toBe('shiny/');
  });
});

describe('cloneFolder', () => {
  it.each([
    ['https://github.com/o/repo', 'repo'],
    ['https://github.com/o/repo.git', 'repo'],
    ['https://git.example.org/o/my%20repo', 'my-20repo'],
    ['https://git.example.org/o/.hidden', 'hidden'],
    ['https://git.example.org/o/-x', 'x'],
    ['javascript:alert(1)', 'workflow'],
  ])('%s → %s', (url, folder) => {
    expect(cloneFolder({ url })).toBe(folder);
  });
});

describe('nbgitpullerUrl', () => {
  const base = { hub: 'https://hub.example.org/', repository: repo(), path: 'tutorials/intro.ipynb', ui: 'lab' as const };

  it('builds the documented link with every value encoded and targetPath explicit', () => {
    const href = nbgitpullerUrl(base);
    expect(href).toBe(
      'https://hub.example.org/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Fastropy%2Fastropy-tutorials&branch=main' +
        '&urlpath=lab%2Ftree%2Fastropy-tutorials%2Ftutorials%2Fintro.ipynb&targetPath=astropy-tutorials',
    );
  });
  it('urlpath starts with the clone folder for each notebook interface', () => {
    for (const [ui, prefix] of [['lab', 'lab/tree/'], ['notebook', 'tree/'], ['retro', 'retro/tree/']] as const) {
      const url = new URL(nbgitpullerUrl({ ...base, ui })!);
      expect(url.searchParams.get('urlpath')).toBe(`${prefix}astropy-tutorials/tutorials/intro.ipynb`);
      expect(url.searchParams.get('targetPath')).toBe('astropy-tutorials');
    }
    expect(new URL(nbgitpullerUrl({ ...base, ui: 'rstudio' })!).searchParams.get('urlpath')).toBe('rstudio/');
  });
  it('keeps the hub path prefix and drops a pasted /hub/ (or /hub/home, /hub/login)', () => {
    for (const [hub, prefix] of [
      ['https://x.org/jupyter', 'https://x.org/jupyter/'],
      ['https://x.org/jupyter/', 'https://x.org/jupyter/'],
      ['https://x.org/hub/', 'https://x.org/'],
      ['https://x.org/hub', 'https://x.org/'],
      ['https://x.org/hub/home', 'https://x.org/'],
      ['https://x.org/jupyter/hub/login', 'https://x.org/jupyter/'],
      ['https://x.org/myhub/', 'https://x.org/myhub/'],
      ['https://x.org/?next=javascript:alert(1)#frag', 'https://x.org/'],
    ] as const) {
      expect(nbgitpullerUrl({ ...base, hub })!.startsWith(`${prefix}hub/user-redirect/git-pull?`)).toBe(true);
    }
  });
  it('uses a named server when given and refuses a hostile one', () => {
    expect(nbgitpullerUrl({ ...base, server: 'gpu' })).toContain('/hub/user-redirect/gpu/git-pull?');
    expect(nbgitpullerUrl({ ...base, server: '../admin' })).toBeNull();
    expect(nbgitpullerUrl({ ...base, server: 'a/b' })).toBeNull();
  });
  it('encodes a hostile branch and file name instead of letting them break the query', () => {
    const href = nbgitpullerUrl({ ...base, repository: repo({ ref: 'feature/x&urlpath=evil' }), path: 'a&b=c#d.ipynb' })!;
    expectWebHref(href);
    const url = new URL(href);
    expect(url.searchParams.get('branch')).toBe('feature/x&urlpath=evil');
    expect(url.searchParams.getAll('urlpath')).toEqual(['lab/tree/astropy-tutorials/a%26b%3Dc%23d.ipynb']);
    expect(url.hash).toBe('');
  });
  it('refuses a branch with whitespace or control characters', () => {
    expect(nbgitpullerUrl({ ...base, repository: repo({ ref: 'main\r\nX: y' }) })).toBeNull();
  });
  it.each(HOSTILE_URLS)('never links to or through a hostile hub or repository %j', (value) => {
    expect(nbgitpullerUrl({ ...base, hub: value })).toBeNull();
    expect(nbgitpullerUrl({ ...base, repository: repo({ url: value }) })).toBeNull();
  });
  it('keeps plain http hubs (facilities that state plainHttp) and loopback ports', () => {
    expect(nbgitpullerUrl({ ...base, hub: 'http://127.0.0.1:8123' })).toMatch(/^http:\/\/127\.0\.0\.1:8123\/hub\/user-redirect\/git-pull\?/);
  });
});

describe('binderUrl', () => {
  const base = { binder: 'https://mybinder.org/', repository: repo(), path: 'tutorials/intro.ipynb', ui: 'lab' as const };
  it('github.com → v2/gh/{owner}/{repo}/{commit}', () => {
    expect(binderUrl(base)).toBe(`https://mybinder.org/v2/gh/astropy/astropy-tutorials/${COMMIT}?urlpath=lab%2Ftree%2Ftutorials%2Fintro.ipynb`);
  });
  it('gitlab.com → v2/gl/{escaped namespace/project}/{commit}', () => {
    const repository = repo({ url: 'https://gitlab.com/group/sub/project', provider: 'gitlab' });
    expect(binderUrl({ ...base, repository, ui: 'notebook' })).toBe(`https://mybinder.org/v2/gl/group%2Fsub%2Fproject/${COMMIT}?urlpath=tree%2Ftutorials%2Fintro.ipynb`);
  });
  it('any other host (and self-hosted GitLab/GitHub) → v2/git/{escaped url}/{commit}', () => {
    const git = repo({ url: 'https://git.example.org/x/y.git', provider: 'git' });
    expect(binderUrl({ ...base, repository: git })).toBe(`https://mybinder.org/v2/git/https%3A%2F%2Fgit.example.org%2Fx%2Fy.git/${COMMIT}?urlpath=lab%2Ftree%2Ftutorials%2Fintro.ipynb`);
    const selfHosted = repo({ url: 'https://gitlab.example.edu/a/b', provider: 'gitlab' });
    expect(binderUrl({ ...base, repository: selfHosted })).toContain('/v2/git/https%3A%2F%2Fgitlab.example.edu%2Fa%2Fb/');
  });
  it('keeps a BinderHub path prefix (binderhub/ is not a JupyterHub /hub/)', () => {
    expect(binderUrl({ ...base, binder: 'http://jupyter.jive.nl/binderhub/' })).toMatch(/^http:\/\/jupyter\.jive\.nl\/binderhub\/v2\/gh\//);
  });
  it.each(HOSTILE_URLS)('never links to or through %j', (value) => {
    expect(binderUrl({ ...base, binder: value })).toBeNull();
    expect(binderUrl({ ...base, repository: repo({ url: value }) })).toBeNull();
  });
});

describe('launchUrl and canLaunch', () => {
  it('JupyterHub → nbgitpuller; BinderHub → v2; other → no link', () => {
    expect(launchUrl(workflow(), facility(), 'lab')).toEqual({ href: expect.stringContaining('/hub/user-redirect/git-pull?'), method: 'nbgitpuller' });
    expect(launchUrl(workflow(), facility({ type: 'binderhub', url: 'https://mybinder.org/' }), 'lab')?.method).toBe('binderhub');
    const other = facility({ type: 'other' });
    expect(canLaunch(other)).toBe(false);
    expect(launchUrl(workflow(), other, 'lab')).toBeNull();
  });
  it('refuses an interface the facility does not offer', () => {
    expect(launchUrl(workflow(), facility({ interfaces: ['notebook'], defaultInterface: 'notebook' }), 'lab')).toBeNull();
  });
  it('a facility with an unusable URL cannot launch (no dead button)', () => {
    const broken = { ...facility(), url: 'javascript:alert(1)' };
    expect(canLaunch(broken)).toBe(false);
    expect(launchUrl(workflow(), broken, 'lab')).toBeNull();
  });
  it('every interface × facility type × provider gives a web href or null — never anything else', () => {
    const repositories = [repo(), repo({ url: 'https://gitlab.com/a/b', provider: 'gitlab' }), repo({ url: 'https://git.example.org/a/b.git', provider: 'git' })];
    let links = 0;
    for (const type of ['jupyterhub', 'binderhub', 'other'] as const)
      for (const ui of Interface.options)
        for (const repository of repositories) {
          const hub = facility({ type, interfaces: [ui], defaultInterface: ui });
          const link = launchUrl(workflow({ repository }), hub, ui);
          if (type === 'other') expect(link).toBeNull();
          else {
            expectWebHref(link?.href ?? null);
            links += 1;
          }
        }
    expect(links).toBe(2 * Interface.options.length * repositories.length);
  });
});
