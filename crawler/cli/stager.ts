/**
 * `ida-catalog stager [--config FILE]`: runs the data staging service (a JupyterHub service);
 * `ida-catalog stager --print-hub-config --url URL [--config FILE]`: prints the jupyterhub_config.py lines
 * that register it.
 */
import { parseCommandArgs, type Command } from './args.js';

const usage = `usage: ida-catalog stager [--config FILE]
       ida-catalog stager --print-hub-config --url URL [--config FILE]

Runs the data staging service: a JupyterHub service that answers the catalog's staging links (format v1),
signs the user in through the hub, shows a confirmation page, then starts their server, pulls the workflow,
writes a staging cell into the notebook (and runs it when the config says \`execute: true\`) and opens it.
Everything hub-related comes from JupyterHub's service environment (JUPYTERHUB_API_TOKEN, _API_URL,
_SERVICE_URL, _SERVICE_PREFIX, _CLIENT_ID, _OAUTH_CALLBACK_URL, …).

  --config FILE         YAML configuration: allowHosts, execute, hubUrl, limits (default: IDA_STAGER_CONFIG,
                        else built-in defaults, which allow no data host)
  --print-hub-config    print the jupyterhub_config.py lines that register the service, and exit
  --url URL             with --print-hub-config: where the service listens, as the hub reaches it
                        (e.g. http://127.0.0.1:10101)
  -h, --help            show this help

Exit status: 0 stopped cleanly (or printed), 1 invalid configuration, 2 usage error or missing environment.`;

export const stagerCommand: Command = {
  summary: 'run the data staging service (a JupyterHub service), or print its hub configuration',
  async run(args) {
    const values = parseCommandArgs('stager', args, { config: { type: 'string' }, 'print-hub-config': { type: 'boolean', default: false }, url: { type: 'string' } }, usage);
    if (typeof values === 'number') return values;
    const { hubConfig, readConfig, runStager } = await import('../../stager/index.js');
    const configFile = values.config ?? (process.env.IDA_STAGER_CONFIG || undefined);
    if (!values['print-hub-config']) {
      if (values.url !== undefined) {
        console.error(`ida-catalog stager: --url goes with --print-hub-config; the running service listens where JUPYTERHUB_SERVICE_URL says\n\n${usage}`);
        return 2;
      }
      return runStager(configFile);
    }
    let url: URL | null = null;
    try {
      url = values.url ? new URL(values.url) : null;
    } catch {
      url = null;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.pathname !== '/' || url.search || url.username) {
      console.error(`ida-catalog stager: --print-hub-config needs --url http(s)://HOST:PORT (where the service listens, no path)\n\n${usage}`);
      return 2;
    }
    const config = await readConfig(configFile);
    if (!config) return 1;
    process.stdout.write(hubConfig({ url: url.origin, configFile, hubUrlMissing: !config.hubUrl }));
    return 0;
  },
};
