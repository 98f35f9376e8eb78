/**
 * `ida-catalog stager --print-hub-config --url URL [--config FILE]`: the jupyterhub_config.py lines that
 * register the stager as a hub-managed service. Operators paste them; the tests append them to their hub's
 * configuration, so what is documented is what is tested.
 *
 * Scopes (why each, see also the README's "For facility operators: data staging"):
 * - the service itself holds none: it acts only with each user's own OAuth token;
 * - it asks users' tokens for `servers!user` (start their own server and see whether it is ready),
 *   `access:servers!user` (use that server: nbgitpuller, contents, kernels) and `read:users:name!user`
 *   (know whose server it is);
 * - the hub grants a service at most what the user's own roles hold, and JupyterHub 3 compares the raw
 *   role scopes, not their expansion from `self`: so the `user` role lists them explicitly, with
 *   `access:services!service=stager`, without which users may not sign in to the service at all.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { USER_SCOPES } from './oauth.js';

export const SERVICE_NAME = 'stager';

export const USER_ROLE_SCOPES = ['self', ...USER_SCOPES, `access:services!service=${SERVICE_NAME}`];

const projectRoot = fileURLToPath(new URL('../', import.meta.url));

/** A Python string literal (JSON's escapes are all valid Python). */
const py = (value: string) => JSON.stringify(value);
const pyList = (values: readonly string[]) => `[${values.map(py).join(', ')}]`;

export type HubConfigInput = {
  /** Where the stager listens, as the hub reaches it, e.g. http://127.0.0.1:10101 . */
  url: string;
  /** The stager's configuration file (made absolute). */
  configFile?: string;
  /** Node and the CLI entry point (default: this Node and this checkout's bin/ida-catalog.mjs). */
  node?: string;
  entry?: string;
  /** Set when the configuration has no hubUrl: printed as a reminder. */
  hubUrlMissing?: boolean;
};

export function hubConfig(input: HubConfigInput): string {
  const node = input.node ?? process.execPath;
  const entry = input.entry ?? path.join(projectRoot, 'bin', 'ida-catalog.mjs');
  const environment: Record<string, string> = {};
  if (input.configFile) environment.IDA_STAGER_CONFIG = path.resolve(input.configFile);
  const lines = [
    '# --- ida-catalog data staging service (printed by `ida-catalog stager --print-hub-config`) ---',
    '# The stager holds no scopes of its own: it acts for each signed-in user with that user\'s OAuth token.',
    ...(input.hubUrlMissing
      ? ['# NOTE: the stager config has no `hubUrl`. JupyterHub < 4 does not tell services its public URL: add',
         '# `hubUrl: https://your.hub/` to the config file (JupyterHub >= 4: or set c.JupyterHub.public_url).']
      : []),
    'c.JupyterHub.services.append({',
    `    'name': ${py(SERVICE_NAME)},`,
    `    'url': ${py(input.url)},`,
    `    'command': ${pyList([node, entry, 'stager'])},`,
    `    'cwd': ${py(projectRoot.replace(/\/$/, ''))},`,
    `    'environment': {${Object.entries(environment).map(([key, value]) => `${py(key)}: ${py(value)}`).join(', ')}},`,
    '    # Users are not asked to approve the stager: it shows its own confirmation page before acting.',
    `    'oauth_no_confirm': True,`,
    `    'oauth_client_allowed_scopes': ${pyList(USER_SCOPES)},`,
    '})',
    '# The hub grants the stager at most the scopes in the user\'s own roles (JupyterHub 3 compares them',
    '# unexpanded), and users need access:services!service=stager to sign in to it at all. If you already',
    '# define a "user" role, add these scopes to it instead.',
    'c.JupyterHub.load_roles.append({',
    `    'name': 'user',`,
    `    'scopes': ${pyList(USER_ROLE_SCOPES)},`,
    '})',
    '# --- end of ida-catalog data staging service ---',
    '',
  ];
  return lines.join('\n');
}
