/**
 * What the stager knows about its hub, all from JupyterHub's standard service environment, so the same
 * program runs hub-managed (the hub sets these) or external (the operator does).
 */
import type { StagerConfig } from '../catalog/contract/index.js';

export type HubEnvironment = {
  /** The service's API token; also its OAuth client secret. Never logged or shown. */
  apiToken: string;
  /** The hub's REST API, e.g. http://127.0.0.1:8081/hub/api (no trailing slash). */
  apiUrl: string;
  /** The hub's public base URL with a trailing slash, e.g. https://hub.example.org/ . */
  hubUrl: URL;
  /** Where this service listens, e.g. http://127.0.0.1:10101 . */
  serviceUrl: URL;
  /** The path the proxy serves the service under, e.g. /services/stager/ . */
  prefix: string;
  clientId: string;
  /** The OAuth redirect_uri registered with the hub (JupyterHub registers a path). */
  callbackUrl: string;
  /** The hub's base path, e.g. / . */
  baseUrl: string;
};

const withSlash = (value: string) => (value.endsWith('/') ? value : `${value}/`);

/** The environment, or the list of what is missing and how to fix it. */
export function hubEnvironment(config: StagerConfig, env: NodeJS.ProcessEnv = process.env): HubEnvironment | { missing: string[] } {
  const missing: string[] = [];
  const need = (name: string) => {
    const value = env[name];
    if (!value) missing.push(name);
    return value ?? '';
  };
  const apiToken = need('JUPYTERHUB_API_TOKEN');
  const apiUrl = need('JUPYTERHUB_API_URL').replace(/\/+$/, '');
  const serviceUrl = need('JUPYTERHUB_SERVICE_URL');
  const clientId = env.JUPYTERHUB_CLIENT_ID || (env.JUPYTERHUB_SERVICE_NAME ? `service-${env.JUPYTERHUB_SERVICE_NAME}` : need('JUPYTERHUB_CLIENT_ID'));
  const baseUrl = withSlash(env.JUPYTERHUB_BASE_URL || '/');
  const prefix = withSlash(env.JUPYTERHUB_SERVICE_PREFIX || `${baseUrl}services/${env.JUPYTERHUB_SERVICE_NAME || 'stager'}/`);
  const callbackUrl = env.JUPYTERHUB_OAUTH_CALLBACK_URL || `${prefix}oauth_callback`;
  const publicUrl = env.JUPYTERHUB_PUBLIC_URL || config.hubUrl;
  if (!publicUrl) missing.push('JUPYTERHUB_PUBLIC_URL (JupyterHub ≥ 4 with c.JupyterHub.public_url) or `hubUrl` in the stager config');
  if (missing.length > 0) return { missing };
  let hubUrl: URL;
  let listen: URL;
  try {
    hubUrl = new URL(withSlash(publicUrl!));
    listen = new URL(serviceUrl);
  } catch {
    return { missing: ['a valid JUPYTERHUB_SERVICE_URL and hub URL'] };
  }
  hubUrl.search = '';
  hubUrl.hash = '';
  return { apiToken, apiUrl, hubUrl, serviceUrl: listen, prefix, clientId, callbackUrl, baseUrl };
}
