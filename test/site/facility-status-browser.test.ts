/**
 * Facility status on the built site, in Chromium: the badge and "checked N hours ago" (computed in the
 * browser from the check's ISO time, so it holds however old the build is) on facility pages and in the
 * Launch panel, "Not checked yet" for a facility the probe has no result for, the warning before launching to
 * a facility that was down, and the launchers: CERN SWAN's link, a hub without nbgitpuller listed with its
 * link and the clone command instead of a Launch button.
 */
import { writeFile } from 'node:fs/promises';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FacilityStatusFile, SCHEMA_VERSION } from '../../catalog/contract/index.js';
import { startSiteUnderTest, type SiteUnderTest } from '../support/site-under-test.js';
import { basicPreviews, basicWorkflows, writeCatalog } from '../fixtures/site/catalogs.js';

const SUITE = 'facility status in Chromium';
const WORKFLOW = '/workflows/binder-examples-requirements-index/';
const work = mkdtempSync(path.join(os.tmpdir(), 'ida-status-site-'));
const facilities = path.join(work, 'facilities.yaml');
const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000 - 5 * 60_000).toISOString();
const checkedAt = { up: hoursAgo(3), down: hoursAgo(3), lastUp: hoursAgo(27) };

const entry = (id: string, name: string, url: string, extra: string[] = []) =>
  [`- id: ${id}`, `  name: ${name}`, `  url: ${url}`, ...extra, '  interfaces: [lab, notebook]', '  defaultInterface: lab', '  access: public'].join('\n');

writeFileSync(
  facilities,
  [
    entry('up-hub', 'Up hub', 'https://up.example.org/', ['  type: jupyterhub']),
    entry('down-hub', 'Down hub', 'https://down.example.org/', ['  type: jupyterhub']),
    entry('bare-hub', 'Bare hub', 'https://bare.example.org/', ['  type: jupyterhub', '  launcher: none']),
    entry('swan-like', 'SWAN-like', 'https://swan.example.org/', ['  type: jupyterhub', '  launcher: swan']),
    entry('unchecked-binder', 'Unchecked binder', 'https://binder.example.org/', ['  type: binderhub']),
    '',
  ].join('\n'),
);

let site: SiteUnderTest | null = null;

beforeAll(async () => {
  site = await startSiteUnderTest(
    SUITE,
    async (catalogDir) => {
      await writeCatalog(catalogDir, basicWorkflows, basicPreviews);
      const items = [
        { id: 'bare-hub', state: 'up', checkedAt: checkedAt.up, version: '4.1.5', lastUpAt: checkedAt.up, checks: [{ endpoint: 'hub-api', ok: true, status: 200, latencyMs: 40 }] },
        { id: 'down-hub', state: 'down', checkedAt: checkedAt.down, version: '3.1.1', lastUpAt: checkedAt.lastUp, checks: [{ endpoint: 'hub-api', ok: false, reason: 'connection refused' }] },
        { id: 'up-hub', state: 'up', checkedAt: checkedAt.up, version: '5.2.1', lastUpAt: checkedAt.up, checks: [{ endpoint: 'hub-api', ok: true, status: 200, latencyMs: 120 }] },
      ];
      await writeFile(path.join(catalogDir, 'facility-status.json'), `${JSON.stringify(FacilityStatusFile.parse({ schemaVersion: SCHEMA_VERSION, kind: 'facility-status', items }), null, 2)}\n`);
    },
    { facilities },
  );
}, 300_000);

afterAll(async () => {
  await site?.close();
  rmSync(work, { recursive: true, force: true });
});

async function open(pathname: string): Promise<Page> {
  const page = await site!.browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  await page.goto(`${site!.server.url}${pathname}`, { waitUntil: 'networkidle' });
  expect(errors).toEqual([]);
  return page;
}

describe.skipIf(process.env.IDA_SKIP_BROWSER === '1')(SUITE, () => {
  it('a facility page shows its badge, how long ago it was checked, and a warning when it was down', async (context) => {
    if (!site) return context.skip();
    const page = await open('/facilities/down-hub/');
    const line = page.locator('[data-facility-status] .facility-status');
    await expect(line.locator('.status-badge').textContent()).resolves.toBe('Down');
    await expect(line.locator('time').textContent()).resolves.toBe('checked 3 hours ago');
    await expect(line.locator('time').getAttribute('datetime')).resolves.toBe(checkedAt.down);
    await expect(page.locator('[data-facility-down]').isVisible()).resolves.toBe(true);
    // What was known before it went down stays on the page.
    const facts = await page.locator('.facility-check dl').innerText();
    expect(facts).toContain('3.1.1');
    expect(facts).toContain('connection refused');
    expect(facts).toContain(`Last up\n${checkedAt.lastUp.slice(0, 10)}`);
    await page.close();

    const up = await open('/facilities/up-hub/');
    await expect(up.locator('[data-facility-status] .status-badge').textContent()).resolves.toBe('Up');
    await expect(up.locator('[data-facility-down]').count()).resolves.toBe(0);
    await up.close();
  });

  it('the facilities list shows each facility\'s badge and check time', async (context) => {
    if (!site) return context.skip();
    const page = await open('/facilities/');
    await expect(page.locator('[data-facility-status-of="down-hub"] .status-badge').textContent()).resolves.toBe('Down');
    await expect(page.locator('[data-facility-status-of="down-hub"] time').textContent()).resolves.toBe('checked 3 hours ago');
    await expect(page.locator('[data-facility-status-of="up-hub"] .status-badge').textContent()).resolves.toBe('Up');
    await page.close();
  });

  it('without JavaScript the check time reads as a UTC date (never a stale "N hours ago" frozen at build)', async (context) => {
    if (!site) return context.skip();
    const browserContext = await site.browser.newContext({ javaScriptEnabled: false });
    const page = await browserContext.newPage();
    await page.goto(`${site.server.url}/facilities/up-hub/`);
    await expect(page.locator('[data-facility-status] time').textContent()).resolves.toBe(`checked ${checkedAt.up.slice(0, 10)} ${checkedAt.up.slice(11, 16)} UTC`);
    await browserContext.close();
  });

  it('a facility the probe has no result for is "Not checked yet"', async (context) => {
    if (!site) return context.skip();
    const page = await open('/facilities/unchecked-binder/');
    await expect(page.locator('[data-facility-status] .status-badge').textContent()).resolves.toBe('Not checked yet');
    await expect(page.locator('[data-facility-status] time').count()).resolves.toBe(0);
    await expect(page.locator('.facility-check').innerText()).resolves.toContain('Not checked yet');
    await page.close();
  });

  it('the Launch panel ranks the facility that answered first and warns before launching to the one that was down', async (context) => {
    if (!site) return context.skip();
    const page = await open(WORKFLOW);
    const facility = page.getByLabel('Facility', { exact: true });
    const options = await facility.locator('option').allTextContents();
    expect(options.indexOf('Up hub — does not say whether it has a Python kernel')).toBeLessThan(options.findIndex((text) => text.startsWith('Down hub')));
    expect(options.find((text) => text.startsWith('Down hub'))).toBe('Down hub — did not answer when last checked');
    const warning = page.locator('[data-launch-down]');
    const go = page.locator('[data-launch-go]');

    await facility.selectOption('up-hub');
    await expect(warning.isVisible()).resolves.toBe(false);
    await expect(go.innerText()).resolves.toBe('Launch on Up hub (JupyterLab)');
    await expect(page.locator('.launch-chooser [data-access-for="up-hub"] .status-badge').textContent()).resolves.toBe('Up');
    await expect(page.locator('.launch-chooser [data-access-for="up-hub"] time').textContent()).resolves.toBe('checked 3 hours ago');

    await facility.selectOption('down-hub');
    await expect(warning.isVisible()).resolves.toBe(true);
    await expect(warning.textContent()).resolves.toBe('Down hub did not answer when it was last checked (checked 3 hours ago): it may be down, and launching may fail.');
    await expect(go.innerText()).resolves.toBe('Launch on Down hub anyway (JupyterLab)');
    expect(await go.getAttribute('href')).toMatch(/^https:\/\/down\.example\.org\/hub\/user-redirect\/git-pull\?/);

    await facility.selectOption('swan-like');
    await expect(warning.isVisible()).resolves.toBe(false);
    expect(await go.getAttribute('href')).toBe('https://cern.ch/swanserver/cgi-bin/go?projurl=https://github.com/binder-examples/requirements.git');
    await page.close();
  });

  it('the cart warns the same way before launching to the facility that was down', async (context) => {
    if (!site) return context.skip();
    const page = await open(WORKFLOW);
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.locator('[data-cart-status]').filter({ hasText: 'In your cart' }).waitFor({ timeout: 10_000 });
    await page.goto(`${site.server.url}/cart/`, { waitUntil: 'networkidle' });
    const facility = page.getByLabel('Facility', { exact: true });
    const go = page.locator('[data-checkout-go]');
    await facility.selectOption('down-hub');
    await expect(page.locator('[data-checkout-access] .launch-note').innerText()).resolves.toBe('Did not answer when last checked; Does not say whether it has a Python kernel.');
    await expect(go.innerText()).resolves.toBe('Launch on Down hub anyway (JupyterLab)');
    await facility.selectOption('up-hub');
    await expect(go.innerText()).resolves.toBe('Launch on Up hub (JupyterLab)');
    await page.close();
  });

  it('a hub without nbgitpuller gets no Launch link: its own link and the clone command instead', async (context) => {
    if (!site) return context.skip();
    const page = await open(WORKFLOW);
    await expect(page.locator('[data-facility="bare-hub"]').count()).resolves.toBe(0);
    await expect(page.locator('a[href*="bare.example.org/hub/user-redirect"]').count()).resolves.toBe(0);
    const other = page.locator('.launch-others [data-other="bare-hub"]');
    await expect(other.locator('a[rel~="external"]').getAttribute('href')).resolves.toBe('https://bare.example.org/');
    await expect(other.locator('.status-badge').textContent()).resolves.toBe('Up');
    await expect(page.locator('[data-launch-clone]').textContent()).resolves.toBe('git clone --branch master https://github.com/binder-examples/requirements.git');
    await page.close();
  });
});
