/**
 * Launch, proven for real, on one hub and one site build:
 * - the built site's Launch panel → a real Debian JupyterHub on 127.0.0.1 → nbgitpuller clones the
 *   workflow's repository (canonical https://github.com URL, served from a local mirror) → the classic
 *   notebook shows it; then a new upstream commit, a second launch, the new content;
 * - the panel without JavaScript (direct links) and with it (ordering, marks, access rules, memory);
 * - the cart: ?add= (good and hostile), persistence, checkout with and without a staging service,
 *   export and import.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cart } from '../../catalog/contract/index.js';
import { launchChromium } from '../support/browser.js';
import { requireJupyterHub } from '../support/jupyterhub.js';
import {
  CANONICAL,
  LOCAL_HUB_ID,
  LOCAL_HUB_NAME,
  NOTEBOOK,
  REPO,
  STAGING,
  heading,
  launchFromWorkflowPage,
  signIn,
  startLaunchWorld,
  waitForNotebook,
  type LaunchWorld,
} from './e2e/world.js';

const SUITE = 'launch end-to-end (JupyterHub + nbgitpuller + Chromium)';
const hubAvailable = requireJupyterHub(SUITE);

/** Every href on the page is site-relative or http(s): never javascript:, data: or the like. */
async function expectOnlyWebLinks(page: Page): Promise<void> {
  const hrefs = await page.locator('a[href]').evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute('href') ?? ''));
  expect(hrefs.length).toBeGreaterThan(0);
  for (const href of hrefs) expect(href).toMatch(/^(https?:\/\/|\/|#|blob:http)/);
}

/** Waits (bounded) until the element shows the text; for UI that updates asynchronously. */
async function waitForText(locator: Locator, text: string | RegExp): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ timeout: 10_000 });
}

describe.skipIf(!hubAvailable.ok)(SUITE, () => {
  let world: LaunchWorld | undefined;
  let browser: Browser | null = null;
  const contexts: BrowserContext[] = [];
  const unexpectedDialogs: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium(SUITE);
    if (!browser) return;
    world = await startLaunchWorld();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await world?.close();
  });

  async function freshPage(options: { javaScriptEnabled?: boolean } = {}): Promise<Page> {
    const context = await browser!.newContext({ acceptDownloads: true, ...options });
    contexts.push(context);
    const page = await context.newPage();
    // The notebook asks before unloading; any other dialog (an alert from injected script) is a failure.
    page.on('dialog', (dialog) => {
      if (dialog.type() !== 'beforeunload') unexpectedDialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.accept();
    });
    return page;
  }

  it('launches the workflow from its page into a running notebook, then follows a new upstream commit', async (context) => {
    if (!browser || !world) return context.skip();
    const page = await freshPage();
    const user = 'alice';
    try {
      await launchFromWorkflowPage(page, world);
      await signIn(page, world, user);
      await waitForNotebook(page, 1);
      expect(decodeURIComponent(new URL(page.url()).pathname)).toBe(`/user/${user}/notebooks/${REPO}/${NOTEBOOK}`);
      await expect(page.locator('.cell').count()).resolves.toBe(2);
      await expect(page.locator('.code_cell .CodeMirror-code').first().innerText()).resolves.toContain('ida-catalog launch v1');

      const onDisk = path.join(world.hub.homeOf(user), REPO, NOTEBOOK);
      expect(existsSync(onDisk)).toBe(true);
      expect(await world.pulledNotebook(user)).toContain(heading(1));

      // Upstream moves on; the catalog still names the old commit, nbgitpuller follows the branch.
      const second = await world.publish(2);
      expect(second).not.toBe(world.commit);
      await launchFromWorkflowPage(page, world);
      await waitForNotebook(page, 2);
      await expect(page.locator('.cell').count()).resolves.toBe(3);
      expect(await world.pulledNotebook(user)).toContain(heading(2));

      // The facility and interface chosen last are the panel's default on the next visit.
      await page.goto(world.workflowUrl);
      await expect(page.getByLabel('Facility', { exact: true }).inputValue()).resolves.toBe(LOCAL_HUB_ID);
      await expect(page.getByLabel('Interface', { exact: true }).inputValue()).resolves.toBe('notebook');
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- page: ${page.url()}\n--- hub log (tail):\n${world.hub.log().slice(-3000)}`);
    }
  }, 180_000);

  it('without JavaScript the panel is a list of direct links, best-suited facilities first, with access rules', async (context) => {
    if (!browser || !world) return context.skip();
    const page = await freshPage({ javaScriptEnabled: false });
    await page.goto(world.workflowUrl);
    const list = page.locator('.launch-list');
    await expect(list.isVisible()).resolves.toBe(true);
    await expect(page.locator('[data-launch-chooser]').isVisible()).resolves.toBe(false);
    await expect(list.locator('h3').allInnerTexts()).resolves.toEqual(['MyBinder', LOCAL_HUB_NAME, 'An R hub']);
    const local = list.locator('li', { has: page.locator('h3', { hasText: LOCAL_HUB_NAME }) });
    const notebookLink = await local.getByRole('link', { name: 'Open in Jupyter Notebook' }).getAttribute('href');
    const url = new URL(notebookLink!);
    expect(url.origin + url.pathname).toBe(`${world.hub.url}hub/user-redirect/git-pull`);
    expect(url.searchParams.get('repo')).toBe(CANONICAL);
    expect(url.searchParams.get('urlpath')).toBe(`tree/${REPO}/notebooks/first%20look.ipynb`);
    await expect(local.innerText()).resolves.toContain('For members of the test suite.');
    await expect(local.innerText()).resolves.toContain('Sign in with: any user name and the test password.');
    const rHub = list.locator('li', { has: page.locator('h3', { hasText: 'An R hub' }) });
    await expect(rHub.innerText()).resolves.toContain('May lack a Python kernel');
    await expect(list.getByRole('link', { name: 'Open in JupyterLab' }).first().getAttribute('href')).resolves.toMatch(/^https:\/\/mybinder\.org\/v2\/gh\/ida-test\/launch-demo\/[0-9a-f]{40}\?urlpath=lab%2Ftree%2Fnotebooks%2Ffirst%2520look\.ipynb$/);
    // A facility that cannot launch is named, with no Launch link.
    await expect(page.locator('.launch-others').innerText()).resolves.toContain('Batch farm');
    await expect(page.locator('.launch a', { hasText: /batch/i }).getAttribute('href')).resolves.toBe('/facilities/batch/');
    await expectOnlyWebLinks(page);
  });

  it('with JavaScript the panel is a chooser: ordered, marked, access rules of the chosen facility shown', async (context) => {
    if (!browser || !world) return context.skip();
    const page = await freshPage();
    await page.goto(world.workflowUrl);
    const facility = page.getByLabel('Facility', { exact: true });
    await expect(facility.locator('option').allInnerTexts()).resolves.toEqual(['MyBinder', LOCAL_HUB_NAME, 'An R hub — may lack a Python kernel']);
    await expect(page.locator('.launch-list').isVisible()).resolves.toBe(false);
    const go = page.locator('[data-launch-go]');
    await expect(go.innerText()).resolves.toBe('Launch on MyBinder (JupyterLab)');
    await facility.selectOption('r-hub');
    await expect(page.getByLabel('Interface', { exact: true }).locator('option').allInnerTexts()).resolves.toEqual(['RStudio', 'JupyterLab']);
    await expect(page.locator('[data-access-for="r-hub"]').innerText()).resolves.toMatch(/Restricted\s+By approval only/);
    await expect(page.locator(`[data-access-for="${LOCAL_HUB_ID}"]`).isVisible()).resolves.toBe(false);
    await expect(go.getAttribute('href')).resolves.toMatch(/^https:\/\/r-hub\.example\.org\/hub\/user-redirect\/git-pull\?.*urlpath=rstudio%2F/);
  });

  it('the cart: add from a workflow page and from ?add=, refuse hostile input visibly, survive reloads, check out, export and import', async (context) => {
    if (!browser || !world) return context.skip();
    const page = await freshPage();
    const cartUrl = `${world.siteUrl}/cart/`;

    await page.goto(world.workflowUrl);
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await waitForText(page.locator('[data-cart-status]'), 'In your cart (1 workflow).');

    const tap = 'https://tap.example.org/tap/sync?REQUEST=doQuery&LANG=ADQL&QUERY=SELECT+TOP+5+*+FROM+gaia';
    await page.goto(`${cartUrl}?add=${encodeURIComponent(tap)}&title=${encodeURIComponent('Gaia sample')}`);
    await expect(page.locator('[data-cart-message]').innerText()).resolves.toBe('Added “Gaia sample” (TAP query) to your cart.');
    expect(new URL(page.url()).search).toBe('');

    for (const hostile of ['javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', '//evil.example.org/x', 'https://u:p@evil.example.org/']) {
      await page.goto(`${cartUrl}?add=${encodeURIComponent(hostile)}`);
      const error = page.locator('[data-cart-error]');
      await expect(error.isVisible()).resolves.toBe(true);
      await expect(error.innerText()).resolves.toMatch(/^Not added: /);
    }
    await page.goto(`${cartUrl}?add=${encodeURIComponent('https://archive.example.org/x.fits')}&title=${encodeURIComponent('<img src=x onerror=alert(1)>')}`);
    await expect(page.locator('[data-cart-datasets] img').count()).resolves.toBe(0);
    await expect(page.locator('[data-cart-datasets]').innerText()).resolves.toContain('<img src=x onerror=alert(1)>');

    await page.reload();
    await expect(page.locator('[data-cart-workflows] li').count()).resolves.toBe(1);
    await expect(page.locator('[data-cart-datasets] li').count()).resolves.toBe(2);
    await expect(page.locator('[data-cart-datasets] .kind').allInnerTexts()).resolves.toEqual(['TAP query', 'Link']);

    // Checkout on a facility without staging: the Launch link plus copy-ready commands, data not dropped.
    await page.getByLabel('Facility', { exact: true }).selectOption(LOCAL_HUB_ID);
    await page.getByLabel('Interface', { exact: true }).selectOption('notebook');
    const go = page.locator('[data-checkout-go]');
    await expect(go.getAttribute('href')).resolves.toMatch(new RegExp(`^${world.hub.url.replace(/[.]/g, '\\.')}hub/user-redirect/git-pull\\?`));
    await expect(page.locator('[data-checkout-instructions]').isVisible()).resolves.toBe(true);
    const commands = await page.locator('[data-checkout-commands]').innerText();
    expect(commands).toContain(`mkdir -p '${REPO}/data'`);
    expect(commands).toContain("curl -fLO --retry 3 'https://archive.example.org/x.fits'");
    expect(commands).toContain(`'${tap}'`);

    // Checkout on a facility with a staging service: one link that carries the datasets and the Launch link.
    await page.getByLabel('Facility', { exact: true }).selectOption('r-hub');
    await expect(page.locator('[data-checkout-instructions]').isVisible()).resolves.toBe(false);
    await expect(go.innerText()).resolves.toBe('Launch on An R hub with 2 data sets');
    const staged = new URL((await go.getAttribute('href'))!);
    expect(staged.origin + staged.pathname).toBe(STAGING);
    expect(staged.searchParams.getAll('dataset')).toEqual([`tap:${tap}`, 'url:https://archive.example.org/x.fits']);
    expect(staged.searchParams.get('launch')).toMatch(/^https:\/\/r-hub\.example\.org\/hub\/user-redirect\/git-pull\?/);
    expect(staged.searchParams.get('into')).toBe(`${REPO}/data`);
    await expectOnlyWebLinks(page);

    // Export, then import: a hostile file is refused with a message; a good one merges.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export as JSON' }).click()]);
    expect(download.suggestedFilename()).toBe('ida-cart.json');
    const exported = Cart.parse(JSON.parse(await readFile((await download.path())!, 'utf8')));
    expect(exported.datasets).toHaveLength(2);
    const hostileFile = path.join(world.work, 'hostile-cart.json');
    await writeFile(hostileFile, JSON.stringify({ ...exported, datasets: [{ url: 'javascript:alert(1)', kind: 'url', title: 'x' }] }));
    await page.locator('[data-cart-import]').setInputFiles(hostileFile);
    await waitForText(page.locator('[data-cart-error]'), /^Not imported: .*datasets\.0\.url/);
    const goodFile = path.join(world.work, 'good-cart.json');
    await writeFile(goodFile, JSON.stringify({ ...exported, datasets: [{ url: 'https://doi.org/10.5281/zenodo.42', kind: 'doi', id: '10.5281/zenodo.42', title: 'Zenodo record' }] }));
    await page.locator('[data-cart-import]').setInputFiles(goodFile);
    await waitForText(page.locator('[data-cart-message]'), 'Imported 1 workflow(s) and 1 data set(s) from good-cart.json.');
    await expect(page.locator('[data-cart-datasets] li').count()).resolves.toBe(3);
    expect(unexpectedDialogs).toEqual([]);
  }, 120_000);
});
