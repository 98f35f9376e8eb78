/**
 * The staging link, format v1 (written by the site: site/lib/launch/staging.ts), read and checked in full
 * before anything is shown: every data set on an allowed host, `into` inside the workflow's folder, the
 * Launch link an nbgitpuller link to this very hub that opens a notebook. Pure.
 */
import { DatasetKind, Slug, STAGING_FORMAT_VERSIONS, type Dataset, type HostPattern } from '../catalog/contract/index.js';
import { classifyDataset } from '../site/lib/launch/datasets.js';
import { isSafeRepoPath, safeWebUrl } from '../site/lib/launch/safe-url.js';
import { hostAllowed } from './config.js';

export type LaunchTarget = {
  /** The repository nbgitpuller pulls (http(s)). */
  repo: string;
  branch: string | null;
  /** The folder in the user's home it is cloned into. */
  targetPath: string;
  /** Relative to the user's server, as in the link (percent-encoded), e.g. tree/repo/notebooks/a%20b.ipynb . */
  urlpath: string;
  /** The notebook's path in the user's home (decoded), e.g. repo/notebooks/a b.ipynb . */
  notebook: string;
};

export type StagingRequest = {
  version: number;
  facility: string;
  workflow: string;
  /** Where the data lands, relative to the user's home; always inside `launch.targetPath`. */
  into: string;
  datasets: Dataset[];
  launch: LaunchTarget;
};

export type LinkCheck = { ok: true; request: StagingRequest } | { ok: false; problems: string[]; refusedHosts: string[] };

export type LinkContext = { hubUrl: URL; patterns: readonly HostPattern[]; maxDatasets: number };

/** Interfaces whose urlpath opens one notebook file: the prefix before the file's path. */
const NOTEBOOK_VIEWS = ['lab/tree/', 'doc/tree/', 'retro/tree/', 'notebooks/', 'tree/'];
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

function decodeSegments(path: string): string | null {
  try {
    return path.split('/').map(decodeURIComponent).join('/');
  } catch {
    return null;
  }
}

/** A relative path in the user's home that hides nothing: no `..`, no hidden (dot) folders, no controls. */
export function isPlainHomePath(path: string): boolean {
  return isSafeRepoPath(path) && path.length <= 255 && path.split('/').every((part) => !part.startsWith('.') && !part.startsWith('-') && !CONTROL.test(part));
}

function checkLaunch(value: string | null, hubUrl: URL, problems: string[]): LaunchTarget | null {
  const url = value === null ? null : safeWebUrl(value, 8000);
  if (!url) {
    problems.push('The link has no valid `launch` link (the Launch link to continue to).');
    return null;
  }
  const gitPull = `${hubUrl.pathname}hub/user-redirect/git-pull`;
  if (url.origin !== hubUrl.origin || url.pathname !== gitPull) {
    problems.push(`The Launch link must be this hub's nbgitpuller link (${hubUrl.origin}${gitPull}?…); it points at ${url.origin}${url.pathname}.`);
    return null;
  }
  const params = url.searchParams;
  const repo = safeWebUrl(params.get('repo'));
  if (!repo) problems.push('The Launch link names no http(s) repository (`repo`).');
  const branch = params.get('branch');
  if (branch !== null && (branch === '' || branch.length > 255 || branch.startsWith('-') || CONTROL.test(branch) || /\s|\.\./.test(branch))) {
    problems.push('The Launch link\'s `branch` is not a plain branch name.');
  }
  const defaultFolder = (repo?.pathname.split('/').filter(Boolean).at(-1) ?? '').replace(/\.git$/, '');
  const targetPath = params.get('targetPath') ?? params.get('targetpath') ?? defaultFolder;
  if (!isPlainHomePath(targetPath) || targetPath.includes('/')) problems.push(`The Launch link's clone folder "${targetPath}" is not a plain folder name.`);
  const urlpath = params.get('urlpath') ?? '';
  const view = NOTEBOOK_VIEWS.find((prefix) => urlpath.startsWith(prefix));
  if (!view) {
    const shown = urlpath.split('/')[0] || '(none)';
    problems.push(`The Launch link opens "${shown}", not a notebook: the staging service writes its cell into a notebook, so choose the Jupyter Notebook or JupyterLab interface.`);
    return null;
  }
  const notebook = decodeSegments(urlpath.slice(view.length).split(/[?#]/)[0]!);
  if (notebook === null || !isSafeRepoPath(notebook) || !notebook.endsWith('.ipynb') || CONTROL.test(notebook)) {
    problems.push('The Launch link does not open a notebook file (…/name.ipynb).');
    return null;
  }
  if (notebook.split('/')[0] !== targetPath) problems.push(`The notebook "${notebook}" is not inside the clone folder "${targetPath}".`);
  if (!repo || problems.length > 0) return null;
  return { repo: repo.href, branch, targetPath, urlpath, notebook };
}

/** Reads a v1 staging link's query. Every problem is listed, so the page can show them all at once. */
export function checkStagingLink(query: URLSearchParams, context: LinkContext): LinkCheck {
  const problems: string[] = [];
  const refusedHosts: string[] = [];
  const version = query.get('v');
  if (!STAGING_FORMAT_VERSIONS.map(String).includes(version ?? '')) {
    problems.push(version === null ? 'This is not a staging link: it has no format version (v=1).' : `This link is in staging format v=${version.slice(0, 20)}; this service reads v=${STAGING_FORMAT_VERSIONS.join(', v=')}.`);
    return { ok: false, problems, refusedHosts };
  }
  const facility = query.get('facility') ?? '';
  const workflow = query.get('workflow') ?? '';
  if (!Slug.safeParse(facility).success) problems.push('The link names no valid facility.');
  if (!Slug.safeParse(workflow).success) problems.push('The link names no valid workflow.');
  const launch = checkLaunch(query.get('launch'), context.hubUrl, problems);
  const into = query.get('into') ?? '';
  if (!isPlainHomePath(into)) problems.push(`The data folder "${into.slice(0, 200)}" is not a plain relative folder (no "..", no hidden folders).`);
  else if (launch && !into.startsWith(`${launch.targetPath}/`)) problems.push(`The data folder "${into}" is not inside the workflow's folder "${launch.targetPath}".`);

  const entries = query.getAll('dataset');
  if (entries.length === 0) problems.push('The link carries no data set.');
  if (entries.length > context.maxDatasets) problems.push(`The link carries ${entries.length} data sets; this facility stages at most ${context.maxDatasets} at a time.`);
  const datasets: Dataset[] = [];
  const exactHosts = context.patterns.filter((pattern) => !pattern.wildcard).map((pattern) => ({ hostname: pattern.host, port: pattern.port }));
  for (const [index, entry] of entries.slice(0, context.maxDatasets).entries()) {
    const colon = entry.indexOf(':');
    const kind = DatasetKind.safeParse(entry.slice(0, colon));
    const url = safeWebUrl(entry.slice(colon + 1));
    if (colon < 0 || !kind.success || !url) {
      problems.push(`Data set ${index + 1} is not "kind:http(s) URL" with a kind of ${DatasetKind.options.join(', ')}.`);
      continue;
    }
    if (!hostAllowed(url, context.patterns)) {
      refusedHosts.push(url.host);
      problems.push(`Data set ${index + 1} is on ${url.host}, which is not a host this facility lets its users stage from.`);
      continue;
    }
    // The host passed allowHosts above; loopback and private hosts get there only by an exact entry.
    const classified = classifyDataset(url.href, undefined, exactHosts);
    let dataset: Dataset | null = null;
    if (classified.ok && classified.dataset.kind === kind.data) dataset = classified.dataset;
    else if (classified.ok && (kind.data === 'url' || kind.data === 'tap')) dataset = { url: url.href, kind: kind.data, title: classified.dataset.title };
    if (!dataset) problems.push(`Data set ${index + 1} is not a ${kind.data === 'doi' ? 'https://doi.org/ link' : kind.data === 'rucio' ? 'Rucio DID link (…/did?scope=…&name=…)' : 'usable link'}.`);
    else datasets.push(dataset);
  }
  if (problems.length > 0 || !launch) return { ok: false, problems, refusedHosts: [...new Set(refusedHosts)] };
  return { ok: true, request: { version: Number(version), facility, workflow, into, datasets, launch } };
}
