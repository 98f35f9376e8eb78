/**
 * Where a facility's service lives, from the URL a curator pasted: the base that JupyterHub paths
 * (`hub/api`, `hub/user-redirect/…`) and BinderHub paths (`v2/…`, `versions`) are resolved against. Pure and
 * browser-safe: the site's Launch links and the facility probe both start from it, so both ask the same hub.
 */

/** JupyterHub's own prefix at the end of a path: `hub/`, `hub/home`, `hub/login`, `hub/spawn`. */
const HUB_PREFIX = /(^|\/)hub\/(?:(?:home|login|spawn)\/?)?$/;

/**
 * The service's base href: no query or fragment, ending in "/". For a JupyterHub, a pasted `…/hub/` (or
 * `…/hub/home`, `…/hub/login`: what users see in the address bar) is dropped, since every path adds it again.
 */
export function facilityServiceBase(url: URL, jupyterhub: boolean): string {
  const base = new URL(url.href);
  base.search = '';
  base.hash = '';
  const pathname = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
  base.pathname = jupyterhub ? pathname.replace(HUB_PREFIX, '$1') : pathname;
  return base.href;
}
