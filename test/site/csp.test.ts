/**
 * The Content-Security-Policy in Debian's Chromium, on every page type of one built site: it is there, it
 * holds (an injected inline script is refused), nothing the site needs trips it (no violation, no console
 * error; search, facets, the Launch panel and the cart work), outbound links leave without referrer or opener,
 * and a notebook's remote image is fetched without a referrer. The same build carries
 * IDA_PRIVATE_DATA_HOSTS, so the cart's private-host rule is checked as users meet it.
 */
import { createServer, type Server } from 'node:http';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSiteUnderTest, type SiteUnderTest } from '../support/site-under-test.js';
import { PNG, basicPreviews, basicWorkflows, writeCatalog } from '../fixtures/site/catalogs.js';
import { CONTENT_SECURITY_POLICY } from '../../site/lib/csp.js';

const WORKFLOW = '/workflows/binder-examples-requirements-index/';
const REMOTE_IMAGE = 'https://images.example.org/figure.png';

// Every page type the site builds (JSON endpoints are checked from a page, as the site's scripts use them).
const PAGES = ['/', '/?q=coordinates', '/?facility=constructor', WORKFLOW, '/facilities/', '/facilities/mybinder/', '/cart/', '/about/', '/stats/', '/404.html'];

let site: SiteUnderTest | null = null;
let dataServer: Server | null = null;
let dataHost = '';
const remoteImageReferrers: Array<string | undefined> = [];

beforeAll(async () => {
  // A data host on loopback, the one this build allows (as an intranet deployment would its own).
  dataServer = createServer((_request, response) => response.end('data'));
  await new Promise<void>((resolve) => dataServer!.listen(0, '127.0.0.1', resolve));
  dataHost = `127.0.0.1:${(dataServer.address() as { port: number }).port}`;
  // One notebook shows an image from another host, as notebooks often do.
  const previews = basicPreviews.map((preview) =>
    preview.id === 'binder-examples-requirements-index'
      ? { ...preview, cells: [...preview.cells, { type: 'markdown' as const, source: `![remote figure](${REMOTE_IMAGE})`, executionCount: null, outputs: [] }] }
      : preview,
  );
  site = await startSiteUnderTest('CSP browser tests', (catalogDir) => writeCatalog(catalogDir, basicWorkflows, previews), {
    env: { IDA_PRIVATE_DATA_HOSTS: dataHost },
  });
}, 300_000);

afterAll(async () => {
  await site?.close();
  await new Promise((resolve) => (dataServer ? dataServer.close(resolve) : resolve(undefined)));
});

type Watched = { page: Page; problems: string[]; violations: () => Promise<string[]> };

/** A page that records CSP violations (the DOM event), console errors and page errors. */
async function watch(context: BrowserContext, pathname: string): Promise<Watched> {
  const page = await context.newPage();
  const problems: string[] = [];
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __violations: string[] }).__violations = seen;
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} blocked ${event.blockedURI} (${event.sourceFile}:${event.lineNumber})`));
  });
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error on ${pathname}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error on ${pathname}: ${error.message}`));
  await page.route('https://images.example.org/**', (route) => {
    remoteImageReferrers.push(route.request().headers().referer);
    return route.fulfill({ status: 200, contentType: 'image/png', body: PNG });
  });
  const response = await page.goto(`${site!.server.url}${pathname}`, { waitUntil: 'networkidle' });
  expect(response?.status(), pathname).toBe(200);
  return { page, problems, violations: () => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations) };
}

describe.skipIf(process.env.IDA_SKIP_BROWSER === '1')('Content-Security-Policy in Chromium', () => {
  it.for(PAGES)('%s: the policy is first in the head, nothing the page needs is refused, and it holds', async (pathname, context) => {
    if (!site) return context.skip();
    const browserContext = await site.browser.newContext();
    const { page, problems, violations } = await watch(browserContext, pathname);
    try {
      expect(await page.evaluate(() => document.head.firstElementChild?.outerHTML)).toBe('<meta charset="utf-8">');
      expect(await page.evaluate(() => document.head.children[1]?.getAttribute('http-equiv'))).toBe('content-security-policy');
      expect(await page.evaluate(() => document.querySelector('meta[http-equiv="content-security-policy"]')?.getAttribute('content'))).toBe(CONTENT_SECURITY_POLICY);
      expect(await page.evaluate(() => document.querySelector('meta[name="referrer"]')?.getAttribute('content'))).toBe('no-referrer');
      // The site's own scripts ran and were refused nothing.
      expect(await violations()).toEqual([]);
      expect(problems).toEqual([]);
      // No inline event handlers, no inline executable scripts, in the page as its scripts left it.
      expect(await page.evaluate(() => [...document.querySelectorAll('*')].flatMap((element) => [...element.attributes].filter((attribute) => /^on/i.test(attribute.name)).map((attribute) => `${element.tagName} ${attribute.name}`)))).toEqual([]);
      expect(await page.evaluate(() => [...document.scripts].filter((script) => !script.src && !/json/.test(script.type)).length)).toBe(0);
      // Every link to another site leaves without opener or referrer.
      expect(
        await page.evaluate(() =>
          [...document.querySelectorAll<HTMLAnchorElement>('a[href]')]
            .filter((link) => /^https?:$/.test(link.protocol) && link.origin !== location.origin)
            .filter((link) => !(link.relList.contains('noopener') && link.relList.contains('noreferrer')))
            .map((link) => link.href),
        ),
      ).toEqual([]);
      // The policy holds: an inline script put into the page does not run, and the browser says why.
      const ran = await page.evaluate(async () => {
        const script = document.createElement('script');
        script.textContent = 'window.__injected = true';
        document.body.append(script);
        await new Promise((resolve) => setTimeout(resolve, 50));
        return (window as unknown as { __injected?: boolean }).__injected === true;
      });
      expect(ran).toBe(false);
      expect(await violations()).toEqual([expect.stringMatching(/^script-src-elem blocked inline/)]);
    } finally {
      await browserContext.close();
    }
  });

  it('the site fetches its own data under the policy: search index and the JSON API', async (context) => {
    if (!site) return context.skip();
    const browserContext = await site.browser.newContext();
    const { page, problems, violations } = await watch(browserContext, '/');
    await page.locator('#q').fill('coordinates');
    await page.waitForFunction(() => document.querySelectorAll('#results .card-title').length > 0, undefined, { timeout: 15_000 });
    expect(await page.locator('#results .card-title').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/^Astronomical Coordinates/)]));
    const api = await page.evaluate(async () =>
      Promise.all(['api/workflows.json', 'api/facilities.json', 'api/catalog.schema.json'].map(async (file) => (await fetch(`/${file}`)).status)),
    );
    expect(api).toEqual([200, 200, 200]);
    expect(await violations()).toEqual([]);
    expect(problems).toEqual([]);
    await browserContext.close();
  });

  it('a facet value named like an object property is shown as itself (/?facility=constructor)', async (context) => {
    if (!site) return context.skip();
    const browserContext = await site.browser.newContext();
    const { page, problems } = await watch(browserContext, '/?facility=constructor');
    const facet = page.locator('fieldset[data-facet="facility"] label', { hasText: 'constructor' });
    await facet.waitFor({ timeout: 15_000 });
    expect(await facet.locator('.facet-value').textContent()).toBe('constructor');
    expect(await page.locator('#facets').textContent()).not.toMatch(/function|native code/);
    expect(problems).toEqual([]);
    await browserContext.close();
  });

  it('the Launch panel works, and a notebook image from another host is fetched without a referrer', async (context) => {
    if (!site) return context.skip();
    const browserContext = await site.browser.newContext();
    const { page, problems, violations } = await watch(browserContext, WORKFLOW);
    const chooser = page.locator('[data-launch-chooser]');
    await chooser.waitFor({ state: 'visible' });
    await chooser.locator('[data-launch-facility]').selectOption('mybinder');
    expect(await chooser.locator('[data-launch-go]').getAttribute('href')).toMatch(/^https:\/\/mybinder\.org\/v2\/gh\/binder-examples\/requirements\//);
    await chooser.locator('[data-cart-add]').click();
    await expect.poll(() => chooser.locator('[data-cart-status]').textContent()).toMatch(/^In your cart \(1 workflow\)/);
    const image = page.locator(`img[src="${REMOTE_IMAGE}"]`);
    expect(await image.getAttribute('referrerpolicy')).toBe('no-referrer');
    await image.scrollIntoViewIfNeeded();
    await expect.poll(() => image.evaluate((element) => (element as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    expect(remoteImageReferrers.length).toBeGreaterThan(0);
    expect(remoteImageReferrers.every((referrer) => referrer === undefined)).toBe(true);
    expect(await violations()).toEqual([]);
    expect(problems).toEqual([]);
    await browserContext.close();
  });

  it('the cart works under the policy, and refuses loopback, private and link-local data hosts the build does not allow', async (context) => {
    if (!site) return context.skip();
    const browserContext = await site.browser.newContext();
    const add = (url: string, title = '') => `/cart/?add=${encodeURIComponent(url)}${title ? `&title=${encodeURIComponent(title)}` : ''}`;
    const error = (page: Page) => page.locator('[data-cart-error]');
    const datasets = (page: Page) => page.locator('[data-cart-datasets] li').allTextContents();

    // Allowed by IDA_PRIVATE_DATA_HOSTS: exactly that host and port.
    const allowed = await watch(browserContext, add(`http://${dataHost}/run42.fits`, 'Run 42'));
    await expect.poll(() => allowed.page.locator('[data-cart-message]').textContent()).toBe('Added “Run 42” (Link) to your cart.');
    expect(await error(allowed.page).isHidden()).toBe(true);
    expect(await datasets(allowed.page)).toEqual([expect.stringContaining('Run 42')]);
    expect(new URL(allowed.page.url()).search).toBe('');

    // The add form, under the policy too.
    await allowed.page.locator('#cart-add-url').fill('https://archive.example.org/data/a.fits');
    await allowed.page.locator('[data-cart-add-form] button[type="submit"]').click();
    await expect.poll(() => datasets(allowed.page)).toHaveLength(2);
    expect(await allowed.violations()).toEqual([]);
    expect(allowed.problems).toEqual([]);

    const refusals: Array<[string, RegExp]> = [
      [`http://127.0.0.1:${Number(dataHost.split(':')[1]) === 1 ? 2 : 1}/x.fits`, /is a loopback address \(this machine\), and data set links to loopback, private and link-local hosts are refused/],
      ['http://169.254.169.254/latest/meta-data/', /169\.254\.169\.254 is a link-local address/],
      ['https://10.1.2.3/data.fits', /10\.1\.2\.3 is a private-network address/],
      ['http://localhost:8080/x', /localhost:8080 is a loopback address/],
    ];
    for (const [url, message] of refusals) {
      const refused = await watch(browserContext, add(url));
      await expect.poll(() => error(refused.page).textContent()).toMatch(message);
      expect(await error(refused.page).isVisible(), url).toBe(true);
      expect(await error(refused.page).textContent()).toMatch(/^Not added: .*Give the data set's public address/);
      // Nothing was added: the cart still holds the two data sets from before.
      expect(await datasets(refused.page)).toHaveLength(2);
      expect(refused.problems).toEqual([]);
      await refused.page.close();
    }
    await browserContext.close();
  });
});
