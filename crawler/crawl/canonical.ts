/**
 * When two sources name the same repository: URLs compared without scheme case, a trailing slash or `.git`,
 * and, on GitHub (whose names are case-insensitive), without letter case.
 */
export function repositoryKey(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  const host = parsed.hostname.toLowerCase();
  const path = parsed.pathname.replace(/\/+$/, '').replace(/\.git$/i, '');
  return `${host}${parsed.port ? `:${parsed.port}` : ''}${host === 'github.com' ? path.toLowerCase() : path}`;
}
