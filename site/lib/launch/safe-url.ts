/**
 * The one gate every outgoing link passes: the contract's one web URL rule (catalog/contract/web-url.ts: only
 * absolute http(s) URLs written out in full, without credentials, control or bidi characters, backslashes,
 * rewritten hosts or look-alike internationalised names), so what `validate` accepts the site links, and the
 * reverse. Catalog and cart values are untrusted, so builders re-check them here even when the contract
 * already validated them.
 */
import { MAX_WEB_URL, checkWebUrl } from '../../../catalog/contract/web-url.js';

/** Parses `value` as an absolute http(s) URL under the one web URL rule, or returns null for anything else. */
export function safeWebUrl(value: unknown, maxLength = MAX_WEB_URL): URL | null {
  const verdict = checkWebUrl(value, maxLength);
  return verdict.ok ? verdict.url : null;
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
