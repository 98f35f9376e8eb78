/**
 * Workflow ids: a readable slug of the repository and notebook path plus 64 bits of SHA-256 that make it
 * unique. (32 bits were few enough to search for a collision that would let one repository's preview
 * overwrite another's; a crawl also refuses duplicate ids outright, see crawl/assemble.ts.)
 */
import { createHash } from 'node:crypto';

const MAX_READABLE = 160;
/** 16 hex digits: 64 bits. */
export const HASH_HEX_DIGITS = 16;

function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * e.g. ("https://github.com/astropy/astropy-tutorials", "tutorials/FITS-header/FITS-header.ipynb") →
 * "astropy-astropy-tutorials-tutorials-fits-header-fits-header-3f2a9c1e5d7b4a60". Stable for the same URL and path;
 * the hash is of the exact URL (trailing slash and ".git" ignored) and path, so paths that slugify alike differ.
 */
export function workflowId(repositoryUrl: string, path: string): string {
  const canonical = repositoryUrl.trim().replace(/\/+$/, '').replace(/\.git$/, '');
  let repoPart = canonical;
  try {
    const url = new URL(canonical);
    repoPart = url.hostname === 'github.com' || url.hostname === 'gitlab.com' ? url.pathname : `${url.hostname}${url.pathname}`;
  } catch {
    // Not a URL (a bare path in tests): slugify it as it is.
  }
  const hash = createHash('sha256').update(`${canonical}\n${path}`).digest('hex').slice(0, HASH_HEX_DIGITS);
  let readable = slugify(`${repoPart} ${path.replace(/\.ipynb$/i, '')}`);
  if (readable.length > MAX_READABLE) readable = readable.slice(0, MAX_READABLE).replace(/-[^-]*$/, '').replace(/-+$/, '');
  return readable ? `${readable}-${hash}` : `workflow-${hash}`;
}
