/**
 * The site built from a catalog the real extractor made out of ../shared/corpus: real titles, markdown,
 * code, outputs and images. One build, shared by all tests; skipped loudly without the corpus or Chromium.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workflow } from '../../catalog/contract/index.js';
import { projectRoot } from '../support/build-site.js';
import { sharedCorpus } from '../support/debian.js';
import { startSiteUnderTest, type SiteUnderTest } from '../support/site-under-test.js';
import { writeCorpusCatalog } from '../fixtures/site/corpus.js';

let site: SiteUnderTest | null = null;
let browser: Browser | null = null;
let server: SiteUnderTest['server'] | null = null;
let workflows: Workflow[] = [];
let outDir = '';
const problems: string[] = [];

beforeAll(async () => {
  const corpus = sharedCorpus('site corpus browser tests');
  if (!corpus) return;
  site = await startSiteUnderTest('site corpus browser tests', async (catalogDir) => {
    workflows = await writeCorpusCatalog(corpus, catalogDir);
  });
  if (site) ({ browser, server, outDir } = site);
});

afterAll(async () => {
  await site?.close();
});

async function open(pathname: string): Promise<Page> {
  const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('console', (message) => message.type() === 'error' && problems.push(`${pathname}: ${message.text()}`));
  page.on('pageerror', (error) => problems.push(`${pathname}: ${error.message}`));
  page.on('dialog', (dialog) => {
    problems.push(`${pathname}: dialog ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('response', (response) => response.status() >= 400 && problems.push(`${pathname}: ${response.status()} ${response.url()}`));
  await page.goto(`${server!.url}${pathname}`, { waitUntil: 'networkidle' });
  return page;
}

const byTitle = (start: string) => workflows.find((workflow) => workflow.title.startsWith(start))!;

describe('site over the real corpus', () => {
  it('"coordinates" finds the four astropy coordinates tutorials first', async (context) => {
    if (!server) return context.skip();
    const page = await open('/?q=coordinates');
    await page.waitForFunction(() => /for “coordinates”/.test(document.querySelector('#results-heading')?.textContent ?? ''));
    const titles = await page.locator('#results .card-title').allTextContents();
    expect(titles.slice(0, 4).sort()).toEqual(
      workflows
        .filter((workflow) => workflow.title.startsWith('Astronomical Coordinates'))
        .map((workflow) => workflow.title)
        .sort(),
    );
    await page.close();
  });

  it('renders real previews: highlighted code, sanitised markdown, images that load', async (context) => {
    if (!server) return context.skip();
    const withImages = workflows.filter((workflow) => workflow.execution.hasOutputs && workflow.repository.url.includes('binder-examples'));
    expect(withImages.length).toBeGreaterThan(0);
    let images = 0;
    for (const workflow of [byTitle('Astronomical Coordinates 1'), ...withImages]) {
      const page = await open(`/workflows/${workflow.id}/`);
      images += await page.locator('.notebook img').count();
      expect(await page.locator('.notebook .nb-cell').count(), workflow.id).toBeGreaterThan(0);
      // Images load lazily, so fetch each one rather than wait for it to scroll into view.
      const broken = await page.evaluate(async () => {
        const sources = [...document.querySelectorAll<HTMLImageElement>('.notebook img')].map((img) => img.src);
        const checks = await Promise.all(sources.map(async (src) => ((await fetch(src)).headers.get('content-type')?.startsWith('image/') ? null : src)));
        return checks.filter((src) => src !== null);
      });
      expect(broken, workflow.id).toEqual([]);
      await page.close();
    }
    expect(images).toBeGreaterThan(0);
    const coordinates = await open(`/workflows/${byTitle('Astronomical Coordinates 1').id}/`);
    expect(await coordinates.locator('.notebook pre.astro-code').count()).toBeGreaterThan(3);
    await coordinates.close();
  });

  it('passes axe on real workflow pages and the stats page', async (context) => {
    if (!server) return context.skip();
    const axe = path.join(projectRoot, 'node_modules', 'axe-core', 'axe.min.js');
    const findings: string[] = [];
    for (const pathname of [`/workflows/${byTitle('Astronomical Coordinates 1').id}/`, `/workflows/${workflows.find((workflow) => workflow.language === 'r')?.id ?? workflows[0]!.id}/`, '/stats/']) {
      const page = await open(pathname);
      // Evaluated through the DevTools protocol: a script tag would be refused by the site's CSP.
      await page.evaluate(await readFile(axe, 'utf8'));
      const violations = await page.evaluate(async () => {
        const result = await (window as unknown as { axe: { run: () => Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: unknown }> }> }> } }).axe.run();
        return result.violations.filter((item) => item.impact === 'serious' || item.impact === 'critical').map((item) => `${item.id} ${JSON.stringify(item.nodes[0]?.target)}`);
      });
      findings.push(...violations.map((item) => `${pathname}: ${item}`));
      await page.close();
    }
    expect(findings).toEqual([]);
  }, 120_000);

  it("a MyST text notebook's page names its format and downloads the .md file itself", async (context) => {
    if (!server) return context.skip();
    const myst = workflows.find((workflow) => workflow.format === 'myst');
    expect(myst, 'the corpus has MyST notebooks (NASA-NAVO/navo-workshop)').toBeDefined();
    const page = await open(`/workflows/${myst!.id}/`);
    const download = page.locator('.actions a[download]');
    await expect(download.innerText()).resolves.toBe('Download .md');
    expect(await download.getAttribute('download')).toBe(myst!.path.split('/').pop());
    const cells = page.locator('dt', { hasText: 'Cells' }).locator('xpath=following-sibling::dd[1]');
    await expect(cells.innerText()).resolves.toContain('MyST notebook');
    await expect(cells.innerText()).resolves.not.toContain('nbformat');
    await page.close();
  });

  it('publishes every workflow in the open data API', async (context) => {
    if (!server) return context.skip();
    const api = JSON.parse(await readFile(path.join(outDir, 'api', 'workflows.json'), 'utf8'));
    expect(api.count).toBe(workflows.length);
  });

  it('logged no console errors and no failed requests', (context) => {
    if (!server) return context.skip();
    expect(problems).toEqual([]);
  });
});
