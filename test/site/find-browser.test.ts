/**
 * In Debian's Chromium, on a site built from the fixture catalog: /find/?url=… opens a notebook's page or lists a
 * repository's workflows, and the search page offers the Authors and Interface facets.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSiteUnderTest, type SiteUnderTest } from '../support/site-under-test.js';
import { basicPreviews, basicWorkflows, writeCatalog } from '../fixtures/site/catalogs.js';

let site: SiteUnderTest | null = null;
let browser: Browser | null = null;
let base = '';
const problems: string[] = [];

beforeAll(async () => {
  site = await startSiteUnderTest('find and facets in Chromium', (catalogDir) => writeCatalog(catalogDir, basicWorkflows, basicPreviews));
  if (site) ({ browser } = site), (base = site.server.url);
}, 300_000);

afterAll(async () => {
  await site?.close();
});

async function open(pathname: string): Promise<Page> {
  const page = await browser!.newPage();
  page.on('pageerror', (error) => problems.push(`page error on ${pathname}: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error on ${pathname}: ${message.text()}`);
  });
  await page.goto(`${base}${pathname}`, { waitUntil: 'networkidle' });
  return page;
}

describe.skipIf(process.env.IDA_SKIP_BROWSER === '1')('find and new facets in Chromium', () => {
  it('a GitHub blob URL of a catalogued notebook lands on its workflow page', async (context) => {
    if (!browser) return context.skip();
    const workflow = basicWorkflows.find((item) => item.path.endsWith('.ipynb') && item.repository.url.includes('binder-examples/requirements'))!;
    const target = `${workflow.repository.url}/blob/main/${workflow.path}`;
    const page = await open(`/find/?url=${encodeURIComponent(target)}`);
    await page.waitForURL(`${base}/workflows/${workflow.id}/`, { timeout: 10_000 });
    expect(await page.locator('h1').first().textContent()).toContain(workflow.title);
    await page.close();
  });

  it('a repository URL lists its workflows with links, and an unknown one says so', async (context) => {
    if (!browser) return context.skip();
    const astropy = basicWorkflows.filter((item) => item.repository.url === 'https://github.com/astropy/astropy-tutorials');
    const page = await open(`/find/?url=${encodeURIComponent('https://nbviewer.org/github/astropy/astropy-tutorials/tree/main')}`);
    await page.waitForSelector('[data-find-results]:not([hidden])');
    const links = await page.locator('[data-find-results] a').evaluateAll((anchors) => anchors.map((anchor) => (anchor as HTMLAnchorElement).getAttribute('href')));
    expect(links.slice(0, -1).sort()).toEqual(astropy.map((item) => `/workflows/${item.id}/`).sort());
    expect(links.at(-1)).toBe('/?repository=astropy%2Fastropy-tutorials');
    const unknown = await open(`/find/?url=${encodeURIComponent('https://github.com/nobody/nothing')}`);
    await unknown.waitForFunction(() => /not in the catalog/.test(document.querySelector('[data-find-status]')?.textContent ?? ''));
    await Promise.all([page.close(), unknown.close()]);
  });

  it('the search page has Authors and Interface facets that filter', async (context) => {
    if (!browser) return context.skip();
    const page = await open('/');
    const legends = await page.locator('.facet legend').allTextContents();
    expect(legends).toEqual(expect.arrayContaining(['Authors', 'Interface']));
    await page.locator('.facet[data-facet="author"] input[value="Adrian Price-Whelan"]').check();
    await page.waitForFunction(() => location.search.includes('author='));
    const expected = basicWorkflows.filter((item) => item.authors.includes('Adrian Price-Whelan')).length;
    await page.waitForFunction((count) => document.querySelectorAll('#results .card').length === count, expected, { timeout: 10_000 });
    await page.close();
    expect(problems).toEqual([]);
  });
});
