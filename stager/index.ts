/**
 * `ida-catalog stager`: the data staging service, a JupyterHub service (see README, "For facility
 * operators: data staging"). Reads its configuration, takes everything hub-related from the service
 * environment, listens where JUPYTERHUB_SERVICE_URL says, and stops cleanly on SIGTERM/SIGINT.
 */
import type { StagerConfig } from '../catalog/contract/index.js';
import { loadStagerConfig } from './config.js';
import { hubEnvironment } from './environment.js';
import { createStagerServer } from './server.js';

export { hubConfig } from './hub-config.js';
export { createStagerServer, STAGER_VERSION } from './server.js';
export { loadStagerConfig, parseStagerConfig, hostAllowed } from './config.js';

/** Loads and checks the configuration; prints problems (FILE:LINE:COL) and returns null when invalid. */
export async function readConfig(file: string | undefined): Promise<StagerConfig | null> {
  const loaded = await loadStagerConfig(file);
  if ('problems' in loaded) {
    for (const problem of loaded.problems) console.error(problem.text);
    console.error(`ida-catalog stager: ${loaded.file} has ${loaded.problems.length} problem(s); not started.`);
    return null;
  }
  return loaded.config;
}

/** Runs until SIGTERM/SIGINT; returns the exit code. */
export async function runStager(file: string | undefined): Promise<number> {
  const config = await readConfig(file);
  if (!config) return 1;
  const env = hubEnvironment(config);
  if ('missing' in env) {
    console.error(`ida-catalog stager: missing ${env.missing.join(', ')}. The stager runs as a JupyterHub service: register it with the lines \`ida-catalog stager --print-hub-config --url URL\` prints, or set these variables yourself for an external service.`);
    return 2;
  }
  if (config.allowHosts.length === 0) console.warn('ida-catalog stager: allowHosts is empty, so every data set will be refused; list the data hosts your users may stage from.');
  const stager = createStagerServer({ env, config });
  await new Promise<void>((resolve, reject) => {
    stager.server.once('error', reject);
    stager.server.listen(Number(env.serviceUrl.port || 80), env.serviceUrl.hostname.replace(/^\[(.*)\]$/, '$1'), () => resolve());
  });
  console.log(`[stager] listening on ${env.serviceUrl.origin}, served at ${env.prefix} of ${env.hubUrl.origin}; ${config.allowHosts.length} allowed host pattern(s); execute ${config.execute ? 'on' : 'off'}`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    // A hub-managed service lives in a session of its own: if the hub dies without stopping it, stop too.
    if (process.env.JUPYTERHUB_SERVICE_NAME) {
      const parent = process.ppid;
      setInterval(() => {
        if (process.ppid !== parent) stop();
      }, 2_000).unref();
    }
  });
  await stager.close();
  return 0;
}
