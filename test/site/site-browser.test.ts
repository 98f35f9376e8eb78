/**
 * The built site in Debian's Chromium: search, facets, URL state, workflow pages, hostile data, axe.
 * One astro build of one fixture catalog (corpus-modelled workflows plus a hostile one), shared by all tests.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowsPage } from '../../catalog/contract/index.js';
import { projectRoot } from '../support/build-site.js';
import { startSiteUnderTest, type SiteUnderTest } from '../support/site-under-test.js';
import { PNG, PNG_MEDIA, basicPreviews, basicWorkflows, writeCatalog, xssPreviews, xssWorkflows } from '../fixtures/site/catalogs.js';

let site: SiteUnderTest | null = null;
let browser: Browser | null = null;
let server: SiteUnderTest['server'] | null = null;
let outDir = '';
const problems: string[] = [];

beforeAll(async () => {
  site = await startSiteUnderTest('site browser tests', (catalogDir) =>
    writeCatalog(catalogDir, [...basicWorkflows, ...xssWorkflows], [...basicPreviews, ...xssPreviews]),
  );
  if (site) ({ browser, server, outDir } = site);
});

afterAll(async () => {
  await site?.close();
});

/** A page that records console errors, page errors and dialogs (none may ever happen). */
async function open(pathname: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
  const page = await browser!.newPage({ viewport });
  page.on('console', (message) => {
    // The 404 page's own status is the one error a browser logs by design.
    const expected404 = message.location().url === `${server!.url}${pathname}` && /status of 404/.test(message.text()) && pathname.includes('no-such-page');
    if (message.type() === 'error' && !expected404) problems.push(`console error on ${pathname}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error on ${pathname}: ${error.message}`));
  page.on('dialog', (dialog) => {
    problems.push(`dialog on ${pathname}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.goto(`${server!.url}${pathname}`, { waitUntil: 'networkidle' });
  return page;
}

const cardTitles = (page: Page) => page.locator('#results .card-title').allTextContents();

async function waitForSearch(page: Page, heading: RegExp): Promise<void> {
  await page.waitForFunction((source) => new RegExp(source).test(document.querySelector('#results-heading')?.textContent ?? ''), heading.source, { timeout: 10_000 });
}

const WORKFLOW = '/workflows/binder-examples-requirements-index/';
const HOSTILE = '/workflows/evil-xss-payload/';

describe.skipIf(process.env.IDA_SKIP_BROWSER === '1')('catalog site in Chromium', () => {
  it('finds the astropy coordinates tutorials for "coordinates", and by prefix', async (context) => {
    if (!browser) return context.skip();
    const page = await open('/');
    const searchFiles = () => page.evaluate(() => performance.getEntriesByType('resource').map((entry) => new URL(entry.name).pathname).filter((name) => name.startsWith('/search/')));
    // Nothing of the search loads before the user shows intent; then only the payload and the query's shard.
    expect(await searchFiles()).toEqual([]);
    await page.locator('#q').fill('coordinates');
    await waitForSearch(page, /^4 workflows for “coordinates”/);
    expect((await searchFiles()).sort()).toEqual(['/search/docs.json', '/search/index/co.json']);
    expect((await cardTitles(page)).every((title) => title.startsWith('Astronomical Coordinates'))).toBe(true);
    await page.locator('#q').fill('coord');
    await waitForSearch(page, /^4 workflows for “coord”/);
    expect(new URL(page.url()).searchParams.get('q')).toBe('coord');
    await page.close();
  });

  it('facets narrow the results, counts update, and Back restores the previous state', async (context) => {
    if (!browser) return context.skip();
    const page = await open('/');
    await page.locator('#q').focus();
    await page.locator('#results-heading').filter({ hasText: `${basicWorkflows.length + xssWorkflows.length} workflows` }).waitFor();
    const python = page.locator('fieldset[data-facet="language"] label', { hasText: 'Python' });
    await expect.poll(() => python.locator('.facet-count').textContent()).toBe('10');
    await page.locator('fieldset[data-facet="language"] input[value="R"]').check();
    await waitForSearch(page, /^1 workflow$/);
    expect(await cardTitles(page)).toEqual(['R in a Binder']);
    expect(page.url()).toContain('language=R');
    // Within R only one repository remains; the language facet still offers Python with its count.
    expect(await page.locator('fieldset[data-facet="repository"] input').count()).toBe(1);
    expect(await python.locator('.facet-count').textContent()).toBe('10');
    await page.locator('fieldset[data-facet="keyword"] input[value="binder"]').check();
    await waitForSearch(page, /^1 workflow$/);
    await page.goBack();
    await page.waitForFunction(() => !location.search.includes('keyword'));
    await page.goBack();
    await waitForSearch(page, /^12 workflows$/);
    expect(await page.locator('fieldset[data-facet="language"] input[value="R"]').isChecked()).toBe(false);
    await page.close();
  });

  it('restores a search from its URL (query, filter and sort) without any interaction', async (context) => {
    if (!browser) return context.skip();
    const page = await open('/?q=astro&keyword=fits&sort=updated');
    await waitForSearch(page, /^2 workflows for “astro”/);
    expect(await page.locator('#q').inputValue()).toBe('astro');
    expect(await page.locator('#sort').inputValue()).toBe('updated');
    expect(await page.locator('fieldset[data-facet="keyword"] input[value="fits"]').isChecked()).toBe(true);
    expect(await cardTitles(page)).toEqual(['Viewing and manipulating FITS images', 'Viewing and manipulating data from FITS tables']);
    await page.close();
  });

  it('moves through results with the keyboard', async (context) => {
    if (!browser) return context.skip();
    const page = await open('/');
    await page.locator('#q').fill('coordinates');
    await waitForSearch(page, /^4 workflows/);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const focused = await page.evaluate(() => document.activeElement?.textContent ?? '');
    expect(focused).toBe((await cardTitles(page))[1]);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/workflows\/astropy-astropy-tutorials-astropy-coordinates-/);
    await page.close();
  });

  it('shows a workflow page with the preview, JSON-LD, Open Graph and links at the exact commit', async (context) => {
    if (!browser) return context.skip();
    const page = await open(WORKFLOW);
    expect(await page.locator('main h1').first().textContent()).toBe('Welcome to an example Binder');
    expect(await page.locator('main h1').count()).toBe(1);
    expect(await page.locator('.notebook .nb-markdown h3').textContent()).toBe('Welcome to an example Binder');
    expect(await page.locator('.notebook pre.astro-code').count()).toBeGreaterThan(0);
    const image = page.locator(`.notebook img[src$="${PNG_MEDIA.slice('media/'.length)}"]`);
    expect(await image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(4);
    expect(await page.locator('.notebook details summary').textContent()).toMatch(/Show 80 more lines/);
    const jsonLd = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent()) ?? '{}');
    expect(jsonLd['@type']).toBe('SoftwareSourceCode');
    expect(jsonLd.codeRepository).toBe('https://github.com/binder-examples/requirements');
    expect(await page.locator('meta[property="og:title"]').getAttribute('content')).toBe('Welcome to an example Binder');
    expect(await page.locator('a', { hasText: 'Download .ipynb' }).getAttribute('href')).toBe(
      'https://raw.githubusercontent.com/binder-examples/requirements/505a59f0430cb6414a4acbdd88803ce33c7fd953/index.ipynb',
    );
    expect(await page.locator('section.launch, [data-workflow]').count()).toBeGreaterThan(0);
    await page.locator('a', { hasText: 'seaborn' }).first().click();
    await page.waitForURL(/\?(q|keyword)=seaborn/);
    await waitForSearch(page, /^1 workflow/);
    await page.close();
  });

  it('keeps the hostile catalog inert: no dialog, no script run, no javascript: link, no handlers', async (context) => {
    if (!browser) return context.skip();
    const before = problems.length;
    for (const pathname of [HOSTILE, '/?q=payload', '/stats/']) {
      const page = await open(pathname);
      if (pathname.startsWith('/?')) await waitForSearch(page, /^1 workflow/);
      const report = await page.evaluate(() => ({
        flag: (window as unknown as { __xss?: number }).__xss ?? null,
        javascriptLinks: [...document.querySelectorAll('[href],[src],[action]')].filter((element) =>
          /^\s*javascript:/i.test(element.getAttribute('href') ?? element.getAttribute('src') ?? element.getAttribute('action') ?? ''),
        ).length,
        handlers: [...document.querySelectorAll('*')].filter((element) => [...element.attributes].some((attribute) => /^on/i.test(attribute.name))).length,
        // Data blocks (JSON-LD, the launch panel's JSON) may carry the payload as escaped data; no executable script may.
        foreignScripts: [...document.querySelectorAll('script')].filter((script) => ['', 'module', 'text/javascript'].includes(script.type) && /alert|__xss/.test(script.textContent ?? '')).length,
        svgInContent: document.querySelectorAll('main .notebook svg, main .card svg').length,
      }));
      expect(report, pathname).toEqual({ flag: null, javascriptLinks: 0, handlers: 0, foreignScripts: 0, svgInContent: 0 });
      if (pathname === HOSTILE) {
        // The payload is shown as text, and the JSON-LD still parses and carries it as a plain string.
        expect(await page.locator('main h1').textContent()).toContain('<script>');
        const jsonLd = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent()) ?? '{}');
        expect(jsonLd.name).toContain('</script>');
      }
      await page.close();
    }
    expect(problems.slice(before).filter((line) => /dialog/.test(line))).toEqual([]);
  });

  it('passes axe with no serious or critical violations, in light and dark', async (context) => {
    if (!browser) return context.skip();
    const axe = path.join(projectRoot, 'node_modules', 'axe-core', 'axe.min.js');
    const findings: string[] = [];
    const pages = { light: ['/', '/?q=coord', WORKFLOW, HOSTILE, '/stats/', '/about/', '/no-such-page/'], dark: ['/?q=coord', WORKFLOW, '/stats/'] };
    for (const scheme of ['light', 'dark'] as const) {
      for (const pathname of pages[scheme]) {
        const page = await open(pathname);
        await page.emulateMedia({ colorScheme: scheme });
        if (pathname.includes('?')) await waitForSearch(page, /for “coord”/);
        // Evaluated through the DevTools protocol: a script tag would be refused by the site's CSP.
        await page.evaluate(await readFile(axe, 'utf8'));
        const violations = await page.evaluate(async () => {
          const result = await (window as unknown as { axe: { run: () => Promise<{ violations: Array<{ id: string; impact: string; nodes: unknown[] }> }> } }).axe.run();
          return result.violations.filter((item) => item.impact === 'serious' || item.impact === 'critical').map((item) => `${item.id} (${item.nodes.length})`);
        });
        findings.push(...violations.map((item) => `${scheme} ${pathname}: ${item}`));
        await page.close();
      }
    }
    expect(findings).toEqual([]);
  }, 180_000);

  it('works at phone width: no horizontal scrolling, search usable', async (context) => {
    if (!browser) return context.skip();
    for (const pathname of ['/', WORKFLOW, HOSTILE, '/stats/']) {
      const page = await open(pathname, { width: 375, height: 740 });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, pathname).toBeLessThanOrEqual(0);
      await page.close();
    }
  });

  it('publishes the open data API and the JSON Schema', async () => {
    if (!browser) return;
    const workflows = WorkflowsPage.parse(JSON.parse(await readFile(path.join(outDir, 'api', 'workflows.json'), 'utf8')));
    expect(workflows.count).toBe(basicWorkflows.length + xssWorkflows.length);
    expect(workflows.results.map((item) => item.id)).toEqual([...workflows.results.map((item) => item.id)].sort());
    const schema = JSON.parse(await readFile(path.join(outDir, 'api', 'catalog.schema.json'), 'utf8'));
    expect(Object.keys(schema.definitions)).toEqual(expect.arrayContaining(['workflow', 'facility', 'workflows-api', 'facilities-api', 'cart']));
  });

  it('copies each workflow thumbnail to workflows/<id>/thumbnail.<ext>, byte for byte, and no others', async () => {
    if (!browser) return;
    const withThumbnail = [...basicWorkflows, ...xssWorkflows].filter((workflow) => workflow.thumbnail);
    expect(withThumbnail.length).toBeGreaterThan(0);
    for (const workflow of withThumbnail) expect(await readFile(path.join(outDir, 'workflows', workflow.id, 'thumbnail.png'))).toEqual(PNG);
    for (const workflow of [...basicWorkflows, ...xssWorkflows].filter((item) => !item.thumbnail)) {
      await expect(readFile(path.join(outDir, 'workflows', workflow.id, 'thumbnail.png'))).rejects.toThrow(/ENOENT/);
    }
  });

  it('logged no console errors on any page', () => {
    expect(problems).toEqual([]);
  });
});
