/**
 * The staging service, proven for real on one shared hub: Debian's JupyterHub, nbgitpuller and the classic
 * notebook on 127.0.0.1, the stager registered with what `ida-catalog stager --print-hub-config` prints,
 * a loopback data server the stager's config allows, Chromium on the built site:
 * workflow page → Add to cart → /cart/?add=<data URL> → facility → Launch → sign in → confirm → the
 * notebook opens with the staging cell first and the data in the user's home (execute: true); the same
 * for an R notebook. And what must not happen: a link alone changes nothing, a POST without the session's
 * token is refused, users never reach each other's servers or jobs, a second launch replaces the cell,
 * a host outside allowHosts gets a clear page.
 */
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { INotebookContent } from '@jupyterlab/nbformat';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { LOCAL_HUB_ID, LOCAL_HUB_NAME, NOTEBOOK, REPO, WORKFLOW_ID, signIn, waitForNotebook } from '../launch/e2e/world.js';
import { DATA_BYTES, DATA_FILE, R_HEADING, R_NOTEBOOK, R_WORKFLOW_ID, requireStagingPackages, startStagingWorld, type StagingWorld } from './staging-world.js';

const SUITE = 'staging service end-to-end (JupyterHub + nbgitpuller + stager + Chromium)';
const available = requireStagingPackages(SUITE);
const TAG = 'ida-staging';

function stagingCells(notebook: INotebookContent) {
  return notebook.cells.filter((cell) => ((cell.metadata as { tags?: string[] }).tags ?? []).includes(TAG));
}

const source = (cell: { source: string | string[] }) => (Array.isArray(cell.source) ? cell.source.join('') : cell.source);

describe.skipIf(!available.ok)(SUITE, () => {
  let world: StagingWorld | undefined;
  let browser: Browser | null = null;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    browser = await launchChromium(SUITE);
    if (!browser) return;
    world = await startStagingWorld({ execute: true });
  }, 240_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await world?.close();
  });

  async function freshPage(): Promise<Page> {
    const context = await browser!.newContext();
    contexts.push(context);
    const page = await context.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    return page;
  }

  function withLog<T>(page: Page, run: () => Promise<T>): Promise<T> {
    return run().catch((error: Error) => {
      throw new Error(`${error.message}\n--- page: ${page.url()}\n--- hub log (tail):\n${world!.hub.log().slice(-4000)}`);
    });
  }

  /** Cart: the workflow from its page, the data set through ?add=; checkout on the local hub; returns the staging link. */
  async function fillCart(page: Page, workflowId: string): Promise<string> {
    await page.goto(`${world!.siteUrl}/workflows/${workflowId}/`);
    // The Launch panel says which facility stages data, and that launching from the cart does it.
    const staging = page.locator(`.launch-list li[data-facility="${LOCAL_HUB_ID}"] .launch-staging`);
    // textContent: the list is folded away once the chooser script runs.
    await expect(staging.textContent()).resolves.toMatch(/^Data staging: launch from your cart to arrive with its data sets beside the notebook/);
    await expect(page.locator('.launch-list li[data-facility="mybinder"] .launch-staging').count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.locator('[data-cart-status]').filter({ hasText: /In your cart/ }).waitFor({ timeout: 10_000 });
    await page.goto(`${world!.siteUrl}/cart/?add=${encodeURIComponent(world!.data.url)}&title=${encodeURIComponent('Sample table')}`);
    await page.locator('[data-cart-message]').filter({ hasText: 'Added' }).waitFor({ timeout: 10_000 });
    await page.getByLabel('Workflow', { exact: true }).selectOption(workflowId).catch(() => undefined);
    await page.getByLabel('Facility', { exact: true }).selectOption(LOCAL_HUB_ID);
    await page.getByLabel('Interface', { exact: true }).selectOption('notebook');
    const go = page.locator('[data-checkout-go]');
    await expect(go.innerText()).resolves.toBe(`Launch on ${LOCAL_HUB_NAME} with 1 data set`);
    return (await go.getAttribute('href'))!;
  }

  async function confirmPage(page: Page): Promise<void> {
    await page.getByRole('heading', { name: 'Stage data for this workflow?' }).waitFor({ timeout: 30_000 });
  }

  it('Python: cart → Launch → sign in → confirm → the notebook opens with the staging cell first and the data in the home', async (context) => {
    if (!browser || !world) return context.skip();
    const page = await freshPage();
    const user = 'alice';
    await withLog(page, async () => {
      const link = await fillCart(page, WORKFLOW_ID);
      expect(link.startsWith(world!.stagerUrl)).toBe(true);
      await page.locator('[data-checkout-go]').click();
      await signIn(page, world!, user);
      await confirmPage(page);

      // The confirmation page tells everything, and nothing has happened yet.
      const text = await page.locator('main').innerText();
      expect(text).toContain(`Signed in as ${user}`);
      expect(text).toContain('https://github.com/ida-test/launch-demo');
      expect(text).toContain(`${REPO}/${NOTEBOOK}`);
      expect(text).toContain(world!.data.host);
      expect(text).toContain(`${DATA_BYTES.length} bytes`);
      expect(await page.locator('details[open] pre').innerText()).toContain(world!.data.url);
      expect(existsSync(path.join(world!.hub.homeOf(user), REPO))).toBe(false);
      expect(world!.data.requests.filter((request) => request.method === 'GET')).toEqual([]);

      await page.getByRole('button', { name: 'Stage the data and open the notebook' }).click();
      await waitForNotebook(page, 1, 90_000);
      expect(decodeURIComponent(new URL(page.url()).pathname)).toBe(`/user/${user}/notebooks/${REPO}/${NOTEBOOK}`);
      // The staging cell is the first cell, before the notebook's own heading.
      await expect(page.locator('.cell').count()).resolves.toBe(3);
      await expect(page.locator('.cell').first().locator('.input_area').innerText()).resolves.toContain('Data staging by ida-catalog');

      expect(await readFile(world!.stagedFile(user))).toEqual(DATA_BYTES);
      const onDisk = JSON.parse(await readFile(path.join(world!.hub.homeOf(user), REPO, NOTEBOOK), 'utf8')) as INotebookContent;
      expect(stagingCells(onDisk)).toHaveLength(1);
      expect(onDisk.cells[0]!.metadata).toMatchObject({ tags: [TAG] });
      expect(JSON.stringify(onDisk.cells[0]!.outputs)).not.toContain('"output_type": "error"');

      // A second launch replaces the cell instead of stacking another one.
      await page.goto(link);
      await confirmPage(page);
      await page.getByRole('button', { name: 'Stage the data and open the notebook' }).click();
      await waitForNotebook(page, 1, 90_000);
      const twice = JSON.parse(await readFile(path.join(world!.hub.homeOf(user), REPO, NOTEBOOK), 'utf8')) as INotebookContent;
      expect(stagingCells(twice)).toHaveLength(1);
      expect(twice.cells).toHaveLength(3);
    });
  }, 240_000);

  it('R: the R notebook gets an R staging cell that works', async (context) => {
    if (!browser || !world) return context.skip();
    const page = await freshPage();
    const user = 'rosalind';
    await withLog(page, async () => {
      await fillCart(page, R_WORKFLOW_ID);
      await page.locator('[data-checkout-go]').click();
      await signIn(page, world!, user);
      await confirmPage(page);
      await page.getByRole('button', { name: 'Stage the data and open the notebook' }).click();
      await page.locator('#notebook_name').filter({ hasText: 'r look' }).waitFor({ timeout: 120_000 });
      await page.locator('.text_cell_render h1').filter({ hasText: R_HEADING }).first().waitFor({ timeout: 60_000 });
      const onDisk = JSON.parse(await readFile(path.join(world!.hub.homeOf(user), REPO, R_NOTEBOOK), 'utf8')) as INotebookContent;
      const [cell] = stagingCells(onDisk);
      expect(onDisk.cells[0]).toBe(cell);
      expect(source(cell!)).toContain('download.file');
      expect(JSON.stringify(cell!.outputs)).not.toContain('"output_type": "error"');
      expect(await readFile(world!.stagedFile(user))).toEqual(DATA_BYTES);
    });
  }, 240_000);
  it('security: a link alone changes nothing, forged POSTs are refused, users never reach each other, hosts outside allowHosts get a clear page', async (context) => {
    if (!browser || !world) return context.skip();
    const bob = await freshPage();
    const eve = await freshPage();
    await withLog(bob, async () => {
      const link = await fillCart(bob, WORKFLOW_ID);
      const query = new URL(link).search.slice(1);
      const gets = () => world!.data.requests.filter((request) => request.method === 'GET').length;
      const before = gets();
      for (const [page, user] of [[bob, 'bob'], [eve, 'eve']] as const) {
        await page.goto(link);
        await signIn(page, world!, user);
        await confirmPage(page);
      }
      const eveToken = await eve.locator('input[name=csrf]').inputValue();
      const bobToken = await bob.locator('input[name=csrf]').inputValue();
      expect(eveToken).not.toBe(bobToken);

      // POSTs without the token, with an empty one, or with another session's token: refused.
      for (const csrf of [undefined, '', eveToken, `${bobToken}x`]) {
        const form: Record<string, string> = { link: query };
        if (csrf !== undefined) form.csrf = csrf;
        const response = await bob.request.post(`${world!.stagerUrl}stage`, { form, maxRedirects: 0 });
        expect(response.status(), String(csrf)).toBe(403);
        expect(await response.text()).toContain('nothing was done');
      }
      // A form on another page posting to the stager: no token, refused.
      await bob.goto('about:blank');
      await bob.setContent(`<form method="post" action="${world!.stagerUrl}stage"><input name="link" value="${query.replace(/"/g, '&quot;')}"></form>`);
      const [posted] = await Promise.all([bob.waitForNavigation(), bob.evaluate(() => document.forms[0]!.submit())]);
      expect(posted!.status()).toBe(403);
      // Nothing happened for anyone: no clone, no download.
      expect(existsSync(path.join(world!.hub.homeOf('bob'), REPO))).toBe(false);
      expect(existsSync(path.join(world!.hub.homeOf('eve'), REPO))).toBe(false);
      expect(gets()).toBe(before);

      // Bob confirms for real; his job is his alone.
      await bob.goto(link);
      await confirmPage(bob);
      const [jobResponse] = await Promise.all([
        bob.waitForResponse((response) => /\/services\/stager\/jobs\/[\w-]+$/.test(new URL(response.url()).pathname), { timeout: 30_000 }),
        bob.getByRole('button', { name: 'Stage the data and open the notebook' }).click(),
      ]);
      await waitForNotebook(bob, 1, 90_000);
      expect(await readFile(world!.stagedFile('bob'))).toEqual(DATA_BYTES);
      const jobUrl = jobResponse.url();
      for (const url of [jobUrl, `${jobUrl}/status`]) {
        const response = await eve.request.get(url, { maxRedirects: 0 });
        expect(response.status(), url).toBe(404);
      }
      expect(existsSync(path.join(world!.hub.homeOf('eve'), REPO))).toBe(false);
      const aliceNotebook = path.join(world!.hub.homeOf('alice'), REPO, NOTEBOOK);
      const aliceBefore = existsSync(aliceNotebook) ? (await stat(aliceNotebook)).mtimeMs : null;

      // A data host outside allowHosts: a clear page, naming the host, and nothing done.
      const outside = new URL(link);
      outside.searchParams.set('dataset', 'url:http://127.0.0.1:9/other.csv');
      const refused = await eve.goto(outside.href);
      expect(refused!.status()).toBe(403);
      await expect(eve.locator('h1').innerText()).resolves.toBe('Data host not allowed');
      await expect(eve.locator('main').innerText()).resolves.toContain('127.0.0.1:9, which is not a host this facility lets its users stage from');
      expect(existsSync(path.join(world!.hub.homeOf('eve'), REPO))).toBe(false);
      expect(aliceBefore === null ? existsSync(aliceNotebook) : (await stat(aliceNotebook)).mtimeMs).toBe(aliceBefore === null ? false : aliceBefore);

      // info: the kernels last seen on users' servers.
      const info = (await (await fetch(`${world!.stagerUrl}info`)).json()) as { kernels: { specs: Array<{ name: string }> } };
      expect(info.kernels.specs.map((spec) => spec.name)).toEqual(expect.arrayContaining(['python3', 'ir']));
    });
  }, 240_000);

  it('the hub configuration the operators paste is what registered this service', (context) => {
    if (!world) return context.skip();
    expect(world.hubConfig).toContain("c.JupyterHub.services.append({");
    expect(world.hubConfig).toContain("'oauth_client_allowed_scopes': [\"servers!user\", \"access:servers!user\", \"read:users:name!user\"]");
    expect(world.hub.log()).toContain('Adding service stager to proxy /services/stager/');
  });
  it('the facility page says the facility stages data, and links the service\'s self-description', async (context) => {
    if (!browser || !world) return context.skip();
    const page = await freshPage();
    await page.goto(`${world.siteUrl}/facilities/${LOCAL_HUB_ID}/`);
    const section = page.locator('section', { has: page.getByRole('heading', { name: 'Data staging' }) });
    await expect(section.innerText()).resolves.toContain('only after you confirm');
    const info = await section.getByRole('link', { name: `${world.stagerUrl}info` }).getAttribute('href');
    expect(info).toBe(`${world.stagerUrl}info`);
    const response = await page.goto(info!);
    expect(response!.status()).toBe(200);
    expect(await response!.json()).toMatchObject({ stagingFormats: [1], allowHosts: [world.data.host], execute: true });
  });
});
