/**
 * The probe against a real JupyterHub (Debian's, on 127.0.0.1): `ida-catalog probe` reads the version the
 * hub's own API reports, and the same facility is down once the hub is stopped, keeping that version.
 * Installs the Debian packages as root, skips loudly otherwise (fails under CI=true).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FacilityStatusFile } from '../../catalog/contract/index.js';
import { main } from '../../crawler/cli/index.js';
import { hubVersion, requireJupyterHub, startJupyterHub, type RunningHub } from '../support/jupyterhub.js';

const SUITE = 'facility probe against a real JupyterHub';
const available = requireJupyterHub(SUITE);

describe.skipIf(!available.ok)(SUITE, () => {
  let hub: RunningHub | undefined;
  const work = mkdtempSync(path.join(os.tmpdir(), 'ida-probe-hub-'));
  const facilities = path.join(work, 'facilities.yaml');
  const out = path.join(work, 'catalog');

  beforeAll(async () => {
    hub = await startJupyterHub();
    // A facility as a maintainer would list a test hub: its address as users see it (…/hub/), private network.
    writeFileSync(
      facilities,
      [
        '- id: local-hub',
        '  name: Local hub',
        `  url: ${hub.url}hub/`,
        '  plainHttp: true',
        '  privateNetwork: true',
        '  type: jupyterhub',
        '  interfaces: [notebook]',
        '  defaultInterface: notebook',
        '  access: public',
        '- id: second-local-hub',
        '  name: Second local hub',
        `  url: ${hub.url}`,
        '  plainHttp: true',
        '  privateNetwork: true',
        '  type: jupyterhub',
        '  launcher: none',
        '  interfaces: [notebook]',
        '  defaultInterface: notebook',
        '  access: public',
        '',
      ].join('\n'),
    );
  }, 120_000);

  afterAll(async () => {
    await hub?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  const read = () => FacilityStatusFile.parse(JSON.parse(readFileSync(path.join(out, 'facility-status.json'), 'utf8'))).items;

  it('reads the version the hub reports', async () => {
    const expected = await hubVersion(hub!);
    expect(expected).toMatch(/^\d+\.\d+\.\d+/);
    expect(await main(['probe', '--facilities', facilities, '--out', out, '--timeout', '5000'])).toBe(0);
    const items = read();
    expect(items.map((item) => [item.id, item.state, item.version])).toEqual([
      ['local-hub', 'up', expected],
      ['second-local-hub', 'up', expected],
    ]);
    expect(items[0]!.checks).toEqual([{ endpoint: 'hub-api', ok: true, status: 200, latencyMs: items[0]!.checks[0]!.latencyMs }]);
    expect(items[0]!.lastUpAt).toBe(items[0]!.checkedAt);
  });

  it('finds the stopped hub down, and still knows its version', async () => {
    const expected = read()[0]!.version;
    await hub!.stop();
    hub = undefined;
    // Both facilities are this hub: nothing answers, so the file is left as it was (this machine may be offline).
    expect(await main(['probe', '--facilities', facilities, '--out', out, '--timeout', '2000'])).toBe(1);
    expect(read().map((item) => item.state)).toEqual(['up', 'up']);
    // With one facility still answering the run counts: the stopped hub is down, its version kept.
    const page = createServer((_request, response) => response.end('<html>a facility page</html>'));
    await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
    try {
      const pageUrl = `http://127.0.0.1:${(page.address() as AddressInfo).port}/`;
      writeFileSync(facilities, `${readFileSync(facilities, 'utf8')}- id: page-only\n  name: Page only\n  url: ${pageUrl}\n  plainHttp: true\n  privateNetwork: true\n  type: other\n  interfaces: [desktop]\n  defaultInterface: desktop\n  access: public\n`);
      expect(await main(['probe', '--facilities', facilities, '--out', out, '--timeout', '2000'])).toBe(0);
    } finally {
      page.closeAllConnections();
      await new Promise((resolve) => page.close(resolve));
    }
    const [local, pageOnly] = read(); // sorted by id
    expect([local!.id, local!.state, local!.version, local!.checks[0]!.reason]).toEqual(['local-hub', 'down', expected, 'connection refused']);
    expect(local!.lastUpAt! < local!.checkedAt).toBe(true);
    expect([pageOnly!.id, pageOnly!.state]).toEqual(['page-only', 'up']);
  });
});
