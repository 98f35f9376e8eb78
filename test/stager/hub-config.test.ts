/**
 * `ida-catalog stager --print-hub-config`: real CLI runs, and the printed lines executed by the hub's own
 * Python with traitlets' Config, as jupyterhub_config.py is.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubConfig, USER_ROLE_SCOPES } from '../../stager/hub-config.js';
import { projectRoot } from '../support/build-site.js';
import { requireJupyterHub } from '../support/jupyterhub.js';

const exec = promisify(execFile);
const cli = (...args: string[]) => exec(process.execPath, [path.join(projectRoot, 'bin', 'ida-catalog.mjs'), 'stager', ...args], { cwd: projectRoot, timeout: 60_000 });
const hub = requireJupyterHub('stager --print-hub-config (run by the hub\'s Python)');

let work: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'ida-stager-config-'));
});
afterAll(() => rm(work, { recursive: true, force: true }));

describe('--print-hub-config', () => {
  it.skipIf(!hub.ok)('prints lines jupyterhub_config.py runs: the service, its OAuth scopes, the user role', async () => {
    const config = path.join(work, 'stager.yaml');
    await writeFile(config, 'hubUrl: https://hub.example.org/\nallowHosts: [data.example.org]\n');
    const { stdout } = await cli('--print-hub-config', '--url', 'http://127.0.0.1:10101', '--config', config);
    const script = `import json\nfrom traitlets.config import Config\nc = Config()\n${stdout}\nprint(json.dumps({'services': c.JupyterHub.services.get_value([]), 'roles': c.JupyterHub.load_roles.get_value([])}))`;
    const result = JSON.parse(execFileSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8' })) as { services: Record<string, unknown>[]; roles: Record<string, unknown>[] };
    expect(result.services).toEqual([
      {
        name: 'stager',
        url: 'http://127.0.0.1:10101',
        command: [process.execPath, path.join(projectRoot, 'bin', 'ida-catalog.mjs'), 'stager'],
        cwd: projectRoot.replace(/\/$/, ''),
        environment: { IDA_STAGER_CONFIG: config },
        oauth_no_confirm: true,
        oauth_client_allowed_scopes: ['servers!user', 'access:servers!user', 'read:users:name!user'],
      },
    ]);
    expect(result.roles).toEqual([{ name: 'user', scopes: ['self', 'servers!user', 'access:servers!user', 'read:users:name!user', 'access:services!service=stager'] }]);
    expect(stdout).not.toContain('NOTE: the stager config has no `hubUrl`');
  });

  it('reminds the operator of hubUrl, and quotes hostile paths safely', () => {
    const text = hubConfig({ url: 'http://127.0.0.1:1', configFile: "/srv/it's \"odd\"\n.yaml", hubUrlMissing: true });
    expect(text).toContain('NOTE: the stager config has no `hubUrl`');
    expect(text).toContain(JSON.stringify("/srv/it's \"odd\"\n.yaml"));
    expect(USER_ROLE_SCOPES).toContain('access:services!service=stager');
  });

  it('refuses a bad --url and an invalid config with the file and line', async () => {
    await expect(cli('--print-hub-config')).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('needs --url') });
    await expect(cli('--print-hub-config', '--url', 'http://127.0.0.1:1/path')).rejects.toMatchObject({ code: 2 });
    const bad = path.join(work, 'bad.yaml');
    await writeFile(bad, 'allowHosts:\n  - "*.local"\n');
    await expect(cli('--print-hub-config', '--url', 'http://127.0.0.1:1', '--config', bad)).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining(`${bad}:2:5: allowHosts[0]:`) });
  });

  it('without a hub environment the service says what is missing instead of starting', async () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('JUPYTERHUB_')));
    await expect(exec(process.execPath, [path.join(projectRoot, 'bin', 'ida-catalog.mjs'), 'stager'], { cwd: projectRoot, env, timeout: 60_000 })).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('missing JUPYTERHUB_API_TOKEN'),
    });
  });
});
