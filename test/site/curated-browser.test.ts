/**
 * Curated workflows (catalog/curated.yaml) in the built site, in Debian's Chromium: found by the search with a
 * facet for their type, their pages render, and the Launch panel offers only the facilities that can run them —
 * a desktop tool only facilities with a `desktop` interface, a container image only facilities listing it.
 * One astro build of a small catalog with its own curated.yaml and facilities file.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CuratedFile } from '../../catalog/contract/index.js';
import { projectRoot } from '../support/build-site.js';
import { startSiteUnderTest, type SiteUnderTest } from '../support/site-under-test.js';
import { basicPreviews, basicWorkflows, writeCatalog } from '../fixtures/site/catalogs.js';

const FACILITIES = `
- id: desk-hub
  name: Desktop Hub
  url: https://desk.example.org/
  type: jupyterhub
  interfaces: [lab, desktop]
  defaultInterface: lab
  access: public
- id: plain-hub
  name: Plain Hub
  url: https://plain.example.org/
  type: jupyterhub
  interfaces: [lab, notebook]
  defaultInterface: lab
  access: public
  images: [jupyter/datascience-notebook]
- id: image-hub
  name: Image Hub
  url: https://images.example.org/jhub/
  type: jupyterhub
  interfaces: [lab]
  defaultInterface: lab
  access: institutional
  images: [jupyter/scipy-notebook]
- id: desk-binder
  name: Desktop Binder
  url: https://binder.example.org/
  type: binderhub
  interfaces: [lab, desktop]
  defaultInterface: lab
  access: public
- id: container-platform
  name: Container Platform
  url: https://platform.example.org/
  type: other
  interfaces: [notebook, desktop]
  defaultInterface: notebook
  access: restricted
`;

const CURATED = `- id: topcat
  title: TOPCAT
  workflowType: desktop
  description: An interactive graphical viewer and editor for tabular data such as source catalogues.
  keywords: [catalogues, tables]
  authors: [Mark Taylor]
  organisation: University of Bristol
  homepage: https://www.star.bristol.ac.uk/mbt/topcat/
- id: scipy-image
  title: SciPy notebook image
  workflowType: container
  image: jupyter/scipy-notebook
  description: A Jupyter Docker Stacks image.
  license: BSD-3-Clause
  homepage: https://github.com/jupyter/docker-stacks
  languages: [python]
- id: lonely-image
  title: Lonely image
  workflowType: container
  image: example/nobody-runs-this:1.0
  description: An image no facility offers.
  homepage: https://example.org/lonely
`;

let site: SiteUnderTest | null = null;
let browser: Browser | null = null;
let server: SiteUnderTest['server'] | null = null;
const problems: string[] = [];

beforeAll(async () => {
  const facilities = path.join(await mkdtemp(path.join(tmpdir(), 'ida-curated-facilities-')), 'facilities.yaml');
  await writeFile(facilities, FACILITIES);
  site = await startSiteUnderTest(
    'curated workflows in the browser',
    async (catalogDir) => {
      await writeCatalog(catalogDir, basicWorkflows, basicPreviews);
      await writeFile(path.join(catalogDir, 'curated.yaml'), CURATED);
    },
    { facilities },
  );
  if (site) ({ browser, server } = site);
}, 600_000);

afterAll(async () => {
  await site?.close();
});

async function open(pathname: string): Promise<Page> {
  const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('console', (message) => message.type() === 'error' && problems.push(`console error on ${pathname}: ${message.text()}`));
  page.on('pageerror', (error) => problems.push(`page error on ${pathname}: ${error.message}`));
  await page.goto(`${server!.url}${pathname}`, { waitUntil: 'networkidle' });
  return page;
}

async function waitForSearch(page: Page, heading: RegExp): Promise<void> {
  await page.waitForFunction((source) => new RegExp(source).test(document.querySelector('#results-heading')?.textContent ?? ''), heading.source, { timeout: 10_000 });
}

/** The Launch panel as a user sees it after the script ran: chooser options, direct links, the rest. */
async function launchPanel(page: Page) {
  return page.evaluate(() => {
    const panel = document.querySelector('[data-launch-panel]')!;
    return {
      options: [...panel.querySelectorAll('[data-launch-facility] option')].map((option) => option.textContent),
      links: [...panel.querySelectorAll('[data-launch-all] [data-facility]')].map((item) => ({
        facility: item.getAttribute('data-facility'),
        links: [...item.querySelectorAll('a[data-ui]')].map((link) => `${link.getAttribute('data-ui')} ${link.getAttribute('href')}`),
      })),
      go: panel.querySelector('[data-launch-go]')?.getAttribute('href') ?? null,
      others: panel.querySelector('.launch-others')?.textContent ?? null,
      none: panel.querySelector('.launch-none')?.textContent ?? null,
      cart: panel.querySelectorAll('[data-cart-add]').length,
    };
  });
}

describe.skipIf(process.env.IDA_SKIP_BROWSER === '1')('curated workflows in Chromium', () => {
  it('the search finds a desktop tool by its words, its card leads to its page, and the type facet counts it', async (context) => {
    if (!browser) return context.skip();
    const page = await open('/');
    await page.locator('#q').fill('catalogues');
    await waitForSearch(page, /^1 workflow for “catalogues”/);
    expect(await page.locator('#results .card-title').allTextContents()).toEqual(['TOPCAT']);
    expect(await page.locator('#results .card-repo').allTextContents()).toEqual(['Desktop tool']);
    const type = page.locator('fieldset[data-facet="type"] label', { hasText: 'Desktop tool' });
    expect(await type.locator('.facet-count').textContent()).toBe('1');
    await page.locator('#results .card-title a').click();
    await page.waitForURL(/\/curated\/topcat\/$/);
    expect(await page.locator('main h1').textContent()).toBe('TOPCAT');
    // The same entries as open data, in the catalog files' envelope.
    const api = CuratedFile.parse(await page.evaluate(async () => (await fetch('/api/curated.json')).json()));
    expect(api.items.map((entry) => entry.id).sort()).toEqual(['lonely-image', 'scipy-image', 'topcat']);
    await page.close();
  });

  it('the type facet separates notebooks, desktop tools and container images', async (context) => {
    if (!browser) return context.skip();
    const page = await open(`/?type=${encodeURIComponent('Container image')}`);
    await waitForSearch(page, /^2 workflows$/);
    expect((await page.locator('#results .card-title').allTextContents()).sort()).toEqual(['Lonely image', 'SciPy notebook image']);
    const counts = await page.locator('fieldset[data-facet="type"] label').evaluateAll((labels) =>
      labels.map((label) => `${label.querySelector('.facet-value')?.textContent} ${label.querySelector('.facet-count')?.textContent}`),
    );
    expect(counts.sort()).toEqual(['Container image 2', 'Desktop tool 1', `Notebook ${basicWorkflows.length}`]);
    // A container is found by its image's name too.
    await page.goto(`${server!.url}/?q=scipy-notebook`, { waitUntil: 'networkidle' });
    await waitForSearch(page, /for “scipy-notebook”/);
    expect(await page.locator('#results .card-title').allTextContents()).toContain('SciPy notebook image');
    await page.close();
  });

  it("a desktop tool's Launch panel offers only JupyterHubs with a remote desktop, linked to the user's desktop", async (context) => {
    if (!browser) return context.skip();
    const page = await open('/curated/topcat/');
    expect(await page.locator('main .facts').textContent()).toContain('Mark Taylor');
    expect(await page.locator('main a', { hasText: 'Homepage' }).first().getAttribute('href')).toBe('https://www.star.bristol.ac.uk/mbt/topcat/');
    const panel = await launchPanel(page);
    expect(panel.options).toEqual(['Desktop Hub']);
    expect(panel.links).toEqual([{ facility: 'desk-hub', links: ['desktop https://desk.example.org/hub/user-redirect/desktop/'] }]);
    expect(panel.go).toBe('https://desk.example.org/hub/user-redirect/desktop/');
    // The other platform with a desktop is named without a link; the hub without one and the BinderHub are not offered.
    expect(panel.others).toContain('Container Platform');
    expect(JSON.stringify(panel)).not.toMatch(/Plain Hub|Image Hub|Desktop Binder/);
    expect(panel.cart).toBe(0);
    expect(await page.locator('[data-launch-go]').textContent()).toBe('Launch on Desktop Hub (Remote desktop)');
    await page.close();
  });

  it("a container image's panel offers the hub that lists it, at its start page; an image nobody offers says so", async (context) => {
    if (!browser) return context.skip();
    const page = await open('/curated/scipy-image/');
    const panel = await launchPanel(page);
    expect(panel.options).toEqual(['Image Hub']);
    expect(panel.links).toEqual([{ facility: 'image-hub', links: ['lab https://images.example.org/jhub/hub/spawn'] }]);
    expect(await page.locator('main .facts').textContent()).toContain('jupyter/scipy-notebook');
    await page.close();
    const lonely = await open('/curated/lonely-image/');
    const none = await launchPanel(lonely);
    expect(none.none).toBe('No facility in this catalog can run this container image: none lists example/nobody-runs-this:1.0 among its images.');
    expect(none.links).toEqual([]);
    await lonely.close();
  });

  it('the curated page passes axe with no serious or critical violations and logs no errors', async (context) => {
    if (!browser) return context.skip();
    const page = await open('/curated/topcat/');
    await page.evaluate(await readFile(path.join(projectRoot, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8'));
    const violations = await page.evaluate(async () => {
      const result = await (window as unknown as { axe: { run: () => Promise<{ violations: Array<{ id: string; impact: string }> }> } }).axe.run();
      return result.violations.filter((item) => item.impact === 'serious' || item.impact === 'critical').map((item) => item.id);
    });
    expect(violations).toEqual([]);
    await page.close();
    expect(problems).toEqual([]);
  });
});
