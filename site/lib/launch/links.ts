/**
 * Pure link builders for launching, downloading and browsing a workflow. Every function returns either
 * an absolute http(s) href (checked by `safeWebUrl`) or null — never a link to anything else — so a
 * caller renders a link only when it has one, and a facility that cannot launch gets no button.
 *
 * Formats: ../shared/notes/launch-urls-and-esap.md (nbgitpuller, BinderHub v2/gh, v2/gl, v2/git); CERN SWAN's
 * "Open in SWAN" link as its own documentation and badges write it (`https://cern.ch/swanserver/cgi-bin/go?projurl=`
 * + a git clone URL, e.g. root-project/root's README, the SWAN gallery's docs).
 * Which one a facility gets is its `launcher` (catalog/contract/facility.ts): a JupyterHub without nbgitpuller
 * (`launcher: none`) gets no link at all, never an nbgitpuller link that would fail there.
 */
import { effectiveLauncher, facilityServiceBase, type Facility, type Interface, type Launcher as FacilityLauncher, type RepositoryRef, type Workflow } from '../../../catalog/contract/index.js';
import { encodeRepoPath, isSafeRepoPath, safeWebUrl } from './safe-url.js';

const COMMIT = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/** A repository URL split into what the forges need: host, path segments (no `.git`), base href, and its checked href. */
type RepoLocation = { host: string; segments: string[]; base: string; href: string };

/**
 * `compute`, remembered for the last few hundred strings. A workflow page builds a few dozen links (every
 * facility × interface) from one repository and the same facility URLs: each is parsed once, and a long build
 * never holds more than a few pages' worth. Results must be immutable.
 */
function boundedMemo<T>(compute: (value: string) => T): (value: string) => T {
  const remembered = new Map<string, T>();
  return (value) => {
    if (remembered.has(value)) return remembered.get(value)!;
    if (remembered.size >= 256) remembered.clear();
    const computed = compute(value);
    remembered.set(value, computed);
    return computed;
  };
}

const locateUrl = boundedMemo(parseLocation);

function locate(repository: Pick<RepositoryRef, 'url'>): Readonly<RepoLocation> | null {
  return locateUrl(repository.url);
}

function parseLocation(repositoryUrl: string): Readonly<RepoLocation> | null {
  const url = safeWebUrl(repositoryUrl);
  if (!url || url.search || url.hash) return null;
  const segments = url.pathname
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')
    .split('/')
    .filter((segment) => segment !== '');
  if (segments.length === 0 || segments.some((segment) => segment === '.' || segment === '..')) return null;
  return Object.freeze({ host: url.hostname.toLowerCase(), segments: Object.freeze(segments) as string[], base: `${url.origin}/${segments.join('/')}`, href: url.href });
}

function checkedCommit(repository: Pick<RepositoryRef, 'commit'>): string | null {
  return COMMIT.test(repository.commit) ? repository.commit : null;
}

/** Final gate: the string must still be a safe http(s) URL after assembly. */
function finish(href: string): string | null {
  return safeWebUrl(href)?.href ?? null;
}

/**
 * Direct download of a file at the exact commit: GitHub raw (raw.githubusercontent.com), GitLab
 * `{url}/-/raw/{commit}/{path}`; a generic git host has no standard raw URL, so null.
 */
export function rawFileUrl(repository: RepositoryRef, path: string): string | null {
  const where = locate(repository);
  const commit = checkedCommit(repository);
  const file = encodeRepoPath(path);
  if (!where || !commit || !file) return null;
  if (repository.provider === 'github') {
    if (where.host === 'github.com' && where.segments.length === 2) {
      const [owner, name] = where.segments.map(encodeURIComponent) as [string, string];
      return finish(`https://raw.githubusercontent.com/${owner}/${name}/${commit}/${file}`);
    }
    // GitHub Enterprise serves the same file at {url}/raw/{commit}/{path}.
    return finish(`${where.base}/raw/${commit}/${file}`);
  }
  if (repository.provider === 'gitlab') return finish(`${where.base}/-/raw/${commit}/${file}`);
  return null;
}

/**
 * The repository (or a file in it) at the exact commit on the forge's web UI; null for a generic git
 * host, which has no standard browse URL (show the clone URL and commit id instead).
 */
export function repositoryAtCommitUrl(repository: RepositoryRef, path?: string): string | null {
  const where = locate(repository);
  const commit = checkedCommit(repository);
  if (!where || !commit) return null;
  const file = path === undefined ? null : encodeRepoPath(path);
  if (path !== undefined && !file) return null;
  if (repository.provider === 'github') return finish(`${where.base}/${file ? 'blob' : 'tree'}/${commit}${file ? `/${file}` : ''}`);
  if (repository.provider === 'gitlab') return finish(`${where.base}/-/${file ? 'blob' : 'tree'}/${commit}${file ? `/${file}` : ''}`);
  return null;
}

/** The workflow's .ipynb at its commit (see rawFileUrl). */
export function downloadUrl(workflow: Pick<Workflow, 'repository' | 'path'>): string | null {
  return rawFileUrl(workflow.repository, workflow.path);
}

/**
 * The folder nbgitpuller clones into: the repository's last path segment without `.git`, restricted to
 * characters that are safe as a directory name and in a URL path.
 */
export function cloneFolder(repository: Pick<RepositoryRef, 'url'>): string {
  const last = locate(repository)?.segments.at(-1) ?? '';
  const cleaned = last.replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[.-]+/, '').slice(0, 100);
  return cleaned || 'workflow';
}

/**
 * The `urlpath` that opens `path` in `ui`, relative to the single-user server. `folder` is the clone
 * folder (nbgitpuller) or null when the repository is the home directory itself (BinderHub).
 * Segments are percent-encoded so a file name with `?`, `#` or `%` stays one path.
 */
export function interfaceUrlPath(ui: Interface, folder: string | null, path: string): string | null {
  if (!isSafeRepoPath(path)) return null;
  const full = encodeRepoPath(folder ? `${folder}/${path}` : path);
  if (!full) return null;
  const directory = full.includes('/') ? full.slice(0, full.lastIndexOf('/')) : '';
  switch (ui) {
    case 'lab':
      return `lab/tree/${full}`;
    case 'notebook':
      // `tree/…` (nbgitpuller's documented form), not `notebooks/…`: the classic notebook and Notebook 7
      // redirect it to the notebook view, and it works for a folder too. bench/launch measured the
      // redirect at ≈10–40 ms of a launch: not worth depending on one server's notebook-view path.
      return `tree/${full}`;
    case 'retro':
      return `retro/tree/${full}`;
    case 'rstudio':
      return 'rstudio/';
    case 'shiny':
      return directory ? `shiny/${directory}/` : 'shiny/';
    case 'vscode':
      return 'vscode/';
    case 'desktop':
      return 'desktop/';
  }
}

const jupyterhubBase = boundedMemo((hub) => parseServiceBase(hub, true));
const binderhubBase = boundedMemo((hub) => parseServiceBase(hub, false));

/** The service's base href, ending in "/", or null. */
function serviceBase(hub: string, jupyterhub: boolean): string | null {
  return jupyterhub ? jupyterhubBase(hub) : binderhubBase(hub);
}

/** Base of a service with a trailing slash (a JupyterHub's pasted `…/hub/` dropped), or null for an unsafe URL. */
function parseServiceBase(hub: string, jupyterhub: boolean): string | null {
  const url = safeWebUrl(hub);
  return url ? facilityServiceBase(url, jupyterhub) : null;
}

export type NbgitpullerInput = {
  /** Base URL of the JupyterHub. */
  hub: string;
  repository: RepositoryRef;
  /** Notebook path inside the repository. */
  path: string;
  ui: Interface;
  /** Named server (`user-redirect/{server}/git-pull`); the default server when absent. */
  server?: string;
};

/**
 * `{hub}/hub/user-redirect/git-pull?repo=…&branch=…&urlpath=…&targetPath=…`. nbgitpuller follows a
 * branch (it cannot check out a commit), so `branch` is the ref the crawl followed.
 */
export function nbgitpullerUrl(input: NbgitpullerInput): string | null {
  const base = serviceBase(input.hub, true);
  const pull = gitPull(input.repository, input.path, input.ui);
  if (!base || !pull) return null;
  let server = '';
  if (input.server !== undefined) {
    if (!/^[A-Za-z0-9._-]{1,255}$/.test(input.server)) return null;
    server = `${encodeURIComponent(input.server)}/`;
  }
  return serviceLink(base, true, `${server}${pull}`);
}

/** A Launch link: the service's base, the path that opens the workflow there (a JupyterHub's under its user redirect), checked. */
function serviceLink(base: string, jupyterhub: boolean, launch: string): string | null {
  return finish(jupyterhub ? `${base}hub/user-redirect/${launch}` : `${base}${launch}`);
}

/** nbgitpuller's `git-pull?…` for a file in an interface: the same on every hub. */
function gitPull(repository: RepositoryRef, path: string, ui: Interface): string | null {
  const repo = locate(repository);
  if (!repo) return null;
  const folder = cloneFolder(repository);
  const urlpath = interfaceUrlPath(ui, folder, path);
  const branch = repository.ref;
  if (!urlpath || !branch || /[\u0000-\u001f\u007f\s]/.test(branch)) return null;
  const query = new URLSearchParams({ repo: repo.href, branch, urlpath, targetPath: folder });
  return `git-pull?${query.toString().replace(/\+/g, '%20')}`;
}

export type BinderInput = {
  /** Base URL of the BinderHub (e.g. https://mybinder.org/). */
  binder: string;
  repository: RepositoryRef;
  path: string;
  ui: Interface;
};

/**
 * BinderHub: `v2/gh/{owner}/{repo}/{commit}` (github.com), `v2/gl/{namespace%2Fproject}/{commit}`
 * (gitlab.com), `v2/git/{url-encoded url}/{commit}` (any other host), with `urlpath` to the notebook.
 * The exact commit is used, so the session shows what the catalog describes and Binder can reuse its build.
 */
export function binderUrl(input: BinderInput): string | null {
  const base = serviceBase(input.binder, false);
  const launch = binderLaunch(input.repository, input.path, input.ui);
  return base && launch ? serviceLink(base, false, launch) : null;
}

/** BinderHub's `v2/…?urlpath=…` for a file in an interface: the same on every BinderHub. */
function binderLaunch(repository: RepositoryRef, path: string, ui: Interface): string | null {
  const where = locate(repository);
  const commit = checkedCommit(repository);
  const urlpath = interfaceUrlPath(ui, null, path);
  if (!where || !commit || !urlpath) return null;
  let spec: string;
  if (repository.provider === 'github' && where.host === 'github.com' && where.segments.length === 2) {
    spec = `gh/${where.segments.map(encodeURIComponent).join('/')}/${commit}`;
  } else if (repository.provider === 'gitlab' && where.host === 'gitlab.com') {
    spec = `gl/${encodeURIComponent(where.segments.join('/'))}/${commit}`;
  } else {
    // v2/git clones the URL as given (a `.git` suffix matters to some hosts).
    spec = `git/${encodeURIComponent(where.href)}/${commit}`;
  }
  const query = new URLSearchParams({ urlpath });
  return `v2/${spec}?${query.toString().replace(/\+/g, '%20')}`;
}

/** CERN SWAN's "Open in SWAN" entry point (the same for every SWAN user; the facility's own URL is where sessions run). */
export const SWAN_GO = 'https://cern.ch/swanserver/cgi-bin/go';

/** How a Launch link opens the workflow: the facility's launcher, never `none`. */
export type LaunchMethod = Exclude<FacilityLauncher, 'none'>;

export type LaunchLink = { href: string; method: LaunchMethod };

/** The URL git clones the repository from: a forge's `….git`, any other host's URL as given. */
export function cloneUrl(repository: Pick<RepositoryRef, 'url' | 'provider'>): string | null {
  const where = locate(repository);
  if (!where) return null;
  return finish(repository.provider === 'git' ? where.href : `${where.base}.git`);
}

/**
 * `https://cern.ch/swanserver/cgi-bin/go?projurl=<clone URL>`: SWAN clones the repository (its default branch:
 * the link cannot name a commit) into the user's CERNBox and opens it. The clone URL is written as SWAN's own
 * badges write it (`:` and `/` left as they are), everything else percent-encoded.
 */
export function swanUrl(repository: Pick<RepositoryRef, 'url' | 'provider'>): string | null {
  const clone = cloneUrl(repository);
  if (!clone) return null;
  return finish(`${SWAN_GO}?projurl=${encodeURIComponent(clone).replace(/%3A/gi, ':').replace(/%2F/gi, '/')}`);
}

/**
 * The commands that put the workflow on a facility without a Launch link: clone the branch the catalog
 * followed, then open the notebook. Null when the repository or ref is not something to paste into a shell.
 */
export function cloneInstructions(repository: Pick<RepositoryRef, 'url' | 'provider' | 'ref'>, path: string): { command: string; open: string } | null {
  const clone = cloneUrl(repository);
  if (!clone || !/^[A-Za-z0-9._\/-]{1,200}$/.test(repository.ref) || repository.ref.startsWith('-') || !isSafeRepoPath(path)) return null;
  return { command: `git clone --branch ${repository.ref} ${clone}`, open: `${cloneFolder(repository)}/${path}` };
}

/** Whether a facility can be launched into at all (a launcher other than `none`, and a usable URL). */
export function canLaunch(facility: Pick<Facility, 'type' | 'url' | 'launcher'>): boolean {
  const launcher = effectiveLauncher(facility);
  if (launcher === 'none') return false;
  return serviceBase(facility.url, launcher !== 'binderhub') !== null;
}

/** A workflow's Launch link on a facility in one of its interfaces, or null when there is none. */
export type Launcher = (facility: Facility, ui: Interface) => LaunchLink | null;

/**
 * A workflow's Launch links (launchUrl), for a page that offers every facility × interface: what depends only
 * on the workflow and the interface (nbgitpuller's query, BinderHub's path) is made once, each link adds its
 * facility's base and passes the final check.
 */
export function workflowLauncher(workflow: Pick<Workflow, 'repository' | 'path'>): Launcher {
  const pulls = new Map<Interface, string | null>();
  const binders = new Map<Interface, string | null>();
  const once = (made: Map<Interface, string | null>, ui: Interface, make: (repository: RepositoryRef, path: string, ui: Interface) => string | null) => {
    let value = made.get(ui);
    if (value === undefined) made.set(ui, (value = make(workflow.repository, workflow.path, ui)));
    return value;
  };
  let swan: string | null | undefined;
  return (facility, ui) => {
    if (!facility.interfaces.includes(ui) || !canLaunch(facility)) return null;
    const method = effectiveLauncher(facility) as LaunchMethod;
    if (method === 'swan') {
      // SWAN opens its own session in its own interface: one link, offered as the facility's default interface.
      if (ui !== facility.defaultInterface) return null;
      if (swan === undefined) swan = swanUrl(workflow.repository);
      return swan ? { href: swan, method } : null;
    }
    const jupyterhub = method === 'nbgitpuller';
    const launch = jupyterhub ? once(pulls, ui, gitPull) : once(binders, ui, binderLaunch);
    // canLaunch: the facility has a base.
    const href = launch && serviceLink(serviceBase(facility.url, jupyterhub)!, jupyterhub, launch);
    return href ? { href, method } : null;
  };
}

/** The Launch link for a workflow on a facility in one of its interfaces, or null when there is none. */
export function launchUrl(workflow: Pick<Workflow, 'repository' | 'path'>, facility: Facility, ui: Interface): LaunchLink | null {
  return workflowLauncher(workflow)(facility, ui);
}

/**
 * A page of a JupyterHub that needs no repository: `hub/spawn` (the hub's start page, where a user picks an image
 * when the hub offers several) or `hub/user-redirect/<path>` (a path on the user's own server, e.g. `desktop/`,
 * which jupyter-remote-desktop-proxy serves). Null when the hub's URL is not a safe base.
 */
export function hubPageUrl(hub: string, page: { spawn: true } | { userPath: string }): string | null {
  const base = serviceBase(hub, true);
  if (!base) return null;
  if ('spawn' in page) return finish(`${base}hub/spawn`);
  if (!/^[A-Za-z0-9._~/-]*$/.test(page.userPath) || page.userPath.split('/').some((part) => part === '..' || part === '.')) return null;
  return serviceLink(base, true, page.userPath);
}
