/**
 * The one gate every outgoing link passes: only absolute http(s) URLs without credentials, control or
 * bidi characters ever become an href. Catalog and cart values are untrusted, so builders re-check them
 * here even when the contract already validated them.
 */

const MAX_URL = 2048;
// C0/C1 controls, whitespace, zero-width and bidi controls: harmless to URL parsers, dangerous to readers.
const INVISIBLE = /[\u0000-\u0020\u007f-\u00a0\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff]/;

/** Parses `value` as an absolute http(s) URL, or returns null for anything else. */
export function safeWebUrl(value: unknown, maxLength = MAX_URL): URL | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength) return null;
  // Written out in full: WHATWG parsing would also "repair" http:/x, http:\\x and the like.
  if (INVISIBLE.test(value) || !/^https?:\/\/[^/\\]/i.test(value)) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.username || url.password || !url.hostname) return null;
  if (url.href.length > maxLength) return null;
  return url;
}

/** `safeWebUrl` as a string href, or null. */
export function safeHref(value: unknown): string | null {
  return safeWebUrl(value)?.href ?? null;
}

/** True for a relative POSIX path inside a repository that is safe to put in a URL (after encoding). */
export function isSafeRepoPath(path: unknown): path is string {
  if (typeof path !== 'string' || path.length === 0 || path.length > 1024) return false;
  if (path.startsWith('/') || /[\\\u0000-\u001f\u007f]/.test(path)) return false;
  return path.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

/** Percent-encodes each segment of a safe repository path; null for an unsafe one. */
export function encodeRepoPath(path: unknown): string | null {
  if (!isSafeRepoPath(path)) return null;
  return path.split('/').map(encodeURIComponent).join('/');
}
