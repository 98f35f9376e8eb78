/**
 * The code repository a Zenodo record names, as the canonical https URL the crawler clones and keys records
 * by. Untrusted text: it must pass the contract's web URL rule and name a public host (never loopback or a
 * private network, whatever a record says).
 */
import { checkWebUrl, isPublicHost } from '../../catalog/contract/index.js';

export type RepositoryUrl = { ok: true; url: string } | { ok: false; reason: string };

/** Hosts where a link is a repository page even when it does not end in `.git`. */
function isForge(host: string): boolean {
  return host === 'github.com' || host === 'gitlab.com' || host.startsWith('gitlab.') || host.startsWith('git.') || host === 'bitbucket.org' || host === 'codeberg.org';
}

/**
 * `https://github.com/Owner/Name/tree/v1.0` → `https://github.com/Owner/Name`; GitLab's `/-/…` views and a
 * trailing `.git` are cut the same way. `anyHost`: a codemeta `codeRepository` claims to be a repository
 * wherever it is; a related-identifier link counts only on a forge or ending in `.git`.
 */
export function repositoryUrl(text: unknown, anyHost: boolean): RepositoryUrl {
  if (typeof text !== 'string' || text.trim() === '') return { ok: false, reason: 'no URL' };
  const written = text.trim().replace(/^git\+/, '');
  const verdict = checkWebUrl(written);
  if (!verdict.ok) return { ok: false, reason: `${JSON.stringify(written.slice(0, 200))} is not a usable URL (${verdict.message})` };
  const url = verdict.url;
  const host = url.hostname.toLowerCase();
  if (!isPublicHost(host)) return { ok: false, reason: `${url.host} is not a public host` };
  const segments = url.pathname.split('/').filter(Boolean);
  const endsGit = /\.git$/i.test(segments.at(-1) ?? '');
  if (!anyHost && !isForge(host) && !endsGit) return { ok: false, reason: `${url.origin}${url.pathname} is not on a known forge and does not end in .git` };
  let path: string[];
  if (host === 'github.com' || host === 'bitbucket.org' || host === 'codeberg.org') path = segments.slice(0, 2);
  else {
    const view = segments.indexOf('-');
    path = view >= 0 ? segments.slice(0, view) : segments;
  }
  path = path.map((segment, index) => (index === path.length - 1 ? segment.replace(/\.git$/i, '') : segment)).filter(Boolean);
  if (path.length === 0 || ((host === 'github.com' || host === 'bitbucket.org' || host === 'codeberg.org') && path.length < 2)) {
    return { ok: false, reason: `${url.origin}${url.pathname} names no repository` };
  }
  // git over plain http is never used: the same repository over https (forges redirect http to it anyway).
  return { ok: true, url: `https://${url.host}/${path.join('/')}` };
}
