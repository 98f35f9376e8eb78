/**
 * Container images in Debian's Chromium, on a site built from the fixture catalog plus three images (one with a
 * hostile Docker Hub README, one built from a catalogued repository) and a facility listing images: the
 * /images/ search and facets, an image page, images on a workflow page and on a facility page.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG_FILES, ImagesFile, SCHEMA_VERSION, type Image, type Workflow } from '../../catalog/contract/index.js';
import { projectRoot } from '../support/build-site.js';
import { startSiteUnderTest, type SiteUnderTest } from '../support/site-under-test.js';
import { basicPreviews, basicWorkflows, writeCatalog } from '../fixtures/site/catalogs.js';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const REQUIREMENTS = 'https://github.com/binder-examples/requirements';

function image(name: string, extra: Partial<Image>): Image {
  return {
    id: name.replace(/[^a-z0-9]+/g, '-'),
    name,
    registry: 'docker.io',
    url: `https://hub.docker.com/r/${name}`,
    source: 'dockerhub-fixture',
    description: null,
    fullDescription: null,
    pulls: 10,
    stars: 1,
    updatedAt: '2026-01-01T00:00:00Z',
    tags: [{ name: 'latest', digest: DIGEST, size: 1000, platforms: ['linux/amd64'], pushedAt: '2026-01-01T00:00:00Z' }],
    tagCount: 1,
    labels: null,
    warnings: [],
    ...extra,
  };
}

const IMAGES: Image[] = [
  image('astro/alpha-notebook', {
    description: 'Alpha analysis environment',
    fullDescription: '# Alpha\n\nUse it.\n\n<script>window.__pwned = 1</script><img src="x" onerror="window.__pwned = 2">\n\n[bad](javascript:alert(1)) [good](https://example.org/docs)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n',
    tags: [
      { name: '2026-01-01', digest: DIGEST, size: 2_000_000, platforms: ['linux/amd64', 'linux/arm64/v8'], pushedAt: '2026-01-01T00:00:00Z' },
      { name: 'old', digest: null, size: null, platforms: [], pushedAt: null },
    ],
    tagCount: 40,
    labels: { tag: '2026-01-01', digest: DIGEST, source: REQUIREMENTS, description: 'Alpha', licenses: 'BSD-3-Clause', version: '1.2.0' },
  }),
  image('library/python', { description: 'Python is an interpreted language', pulls: 1_000_000, tags: [{ name: '3.12', digest: DIGEST, size: 5, platforms: ['linux/amd64', 'linux/arm64/v8'], pushedAt: '2026-02-01T00:00:00Z' }] }),
  image('jupyter/scipy-notebook', { description: 'Scientific Python stack', pulls: 5000, labels: { tag: 'latest', digest: DIGEST, source: null, description: null, licenses: 'BSD-3-Clause', version: null } }),
];

const FACILITIES = `- id: image-hub
  name: Image Hub
  url: https://hub.example.org/
  type: jupyterhub
  interfaces: [lab]
  defaultInterface: lab
  access: public
  images: [jupyter/scipy-notebook, "python:3.12", quay.io/someone/else]
`;

/** The requirements example, as if it built on python and the scipy stack through a Dockerfile. */
function withDockerfile(workflows: Workflow[]): Workflow[] {
  return workflows.map((workflow) =>
    workflow.repository.url === REQUIREMENTS
      ? {
          ...workflow,
          environment: {
            kind: 'docker',
            files: ['Dockerfile'],
            baseImages: [
              { ref: 'python:3.12-slim', registry: 'docker.io', name: 'library/python', tag: '3.12-slim', digest: null },
              { ref: 'ghcr.io/org/tool:1', registry: 'ghcr.io', name: 'org/tool', tag: '1', digest: null },
            ],
          },
        }
      : workflow,
  );
}

let site: SiteUnderTest | null = null;
let browser: Browser | null = null;
let base = '';
const problems: string[] = [];

beforeAll(async () => {
  const root = path.join(await import('node:os').then((os) => os.tmpdir()), `ida-images-facilities-${process.pid}.yaml`);
  await writeFile(root, FACILITIES);
  site = await startSiteUnderTest(
    'images in Chromium',
    async (catalogDir) => {
      await writeCatalog(catalogDir, withDockerfile(basicWorkflows), basicPreviews);
      const items = [...IMAGES].sort((a, b) => (a.id < b.id ? -1 : 1));
      await writeFile(path.join(catalogDir, CATALOG_FILES.images), JSON.stringify(ImagesFile.parse({ schemaVersion: SCHEMA_VERSION, kind: 'images', items }), null, 2));
    },
    { facilities: root },
  );
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
  page.on('dialog', (dialog) => {
    problems.push(`dialog on ${pathname}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.goto(`${base}${pathname}`, { waitUntil: 'networkidle' });
  return page;
}

const visibleNames = (page: Page) => page.locator('[data-image]:visible .card-title').allTextContents();

describe.skipIf(process.env.IDA_SKIP_BROWSER === '1')('container images in Chromium', () => {
  it('/images/ lists every image, most pulled first; the keyword box and facets narrow it and keep the URL', async (context) => {
    if (!browser) return context.skip();
    const page = await open('/');
    await page.locator('.site-nav a', { hasText: 'Images' }).click();
    await page.waitForURL(`${base}/images/`);
    await page.locator('[data-image-search][data-ready="true"]').waitFor();
    expect(await visibleNames(page)).toEqual(['library/python', 'jupyter/scipy-notebook', 'astro/alpha-notebook']);
    await page.locator('#image-keyword').fill('scientific');
    await expect.poll(() => visibleNames(page)).toEqual(['jupyter/scipy-notebook']);
    expect(await page.locator('[data-image-count]').textContent()).toBe('1 of 3 images match');
    expect(new URL(page.url()).searchParams.get('q')).toBe('scientific');
    await page.locator('#image-keyword').fill('');
    const arm = page.locator('fieldset[data-facet="platform"] label', { hasText: 'linux/arm64/v8' });
    expect(await arm.locator('.facet-count').textContent()).toBe('2');
    await arm.locator('input').check();
    await expect.poll(() => visibleNames(page)).toEqual(['library/python', 'astro/alpha-notebook']);
    await page.locator('fieldset[data-facet="workflows"] label', { hasText: 'linked to workflows' }).locator('input').check();
    await expect.poll(() => visibleNames(page)).toEqual(['astro/alpha-notebook']);
    expect(new URL(page.url()).searchParams.getAll('platform')).toEqual(['linux/arm64/v8']);
    // The state is in the URL: a reload shows the same list.
    await page.reload({ waitUntil: 'networkidle' });
    await expect.poll(() => visibleNames(page)).toEqual(['astro/alpha-notebook']);
    await page.locator('[data-image-clear]').click();
    await expect.poll(() => visibleNames(page)).toHaveLength(3);
    await page.close();
  });

  it('an image page: pull command, labels, tags, linked workflows, and the Hub README sanitised', async (context) => {
    if (!browser) return context.skip();
    const page = await open('/images/astro-alpha-notebook/');
    expect(await page.locator('h1').textContent()).toBe('astro/alpha-notebook');
    expect(await page.locator('[data-pull]').textContent()).toBe('docker pull astro/alpha-notebook:2026-01-01');
    expect(await page.locator('[data-label-source] a').getAttribute('href')).toBe(REQUIREMENTS);
    expect(await page.locator('[data-image-tags] tbody tr').count()).toBe(2);
    expect(await page.getByText('The newest 2 of 40 tags.').count()).toBe(1);
    const workflows = await page.locator('[data-image-workflows] a').evaluateAll((links) => links.map((link) => link.getAttribute('href')));
    expect(workflows.length).toBeGreaterThan(0);
    expect(workflows.every((href) => href?.startsWith('/workflows/binder-examples-requirements'))).toBe(true);
    const readme = page.locator('[data-image-readme]');
    expect(await readme.locator('h3', { hasText: 'Alpha' }).count()).toBe(1);
    expect(await readme.locator('table td').allTextContents()).toEqual(['1', '2']);
    expect(await readme.locator('script, [onerror]').count()).toBe(0);
    expect(await readme.locator('a', { hasText: 'bad' }).getAttribute('href')).toBeNull();
    expect(await readme.locator('a', { hasText: 'good' }).getAttribute('rel')).toContain('noopener');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    // The same records as open data, in images.json's envelope, in the site's order (most pulled first).
    const api = ImagesFile.parse(await page.evaluate(async () => (await fetch('/api/images.json')).json()));
    expect(api.items.map((image) => image.name).sort()).toEqual(IMAGES.map((image) => image.name).sort());
    await page.close();
  });

  it('a workflow page lists the images it builds on and those built from its repository; a facility page links its images', async (context) => {
    if (!browser) return context.skip();
    const workflow = await open('/workflows/binder-examples-requirements-index/');
    const section = workflow.locator('[data-workflow-images]');
    expect(await section.locator('ul[aria-label="Base images"] li').allTextContents()).toEqual(['python:3.12-slim', 'ghcr.io/org/tool:1']);
    expect(await section.locator('ul[aria-label="Base images"] a').getAttribute('href')).toBe('/images/library-python/');
    expect(await section.locator('ul[aria-label="Images built from this repository"] a').getAttribute('href')).toBe('/images/astro-alpha-notebook/');
    await workflow.close();
    const facility = await open('/facilities/image-hub/');
    const links = await facility.locator('[data-facility-images] li').evaluateAll((items) => items.map((item) => [item.textContent, item.querySelector('a')?.getAttribute('href') ?? null]));
    expect(links).toEqual([
      ['jupyter/scipy-notebook', '/images/jupyter-scipy-notebook/'],
      ['python:3.12', '/images/library-python/'],
      ['quay.io/someone/else', null],
    ]);
    await facility.close();
    expect(problems).toEqual([]);
  });

  it('image pages pass axe (no serious or critical violations) and fit a phone screen', async (context) => {
    if (!browser) return context.skip();
    const axe = await readFile(path.join(projectRoot, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
    const findings: string[] = [];
    for (const pathname of ['/images/', '/images/astro-alpha-notebook/', '/images/library-python/']) {
      const page = await open(pathname);
      // Evaluated through the DevTools protocol: a script tag would be refused by the site's CSP.
      await page.evaluate(axe);
      const violations = await page.evaluate(async () => {
        const result = await (window as unknown as { axe: { run: () => Promise<{ violations: Array<{ id: string; impact: string; nodes: unknown[] }> }> } }).axe.run();
        return result.violations.filter((item) => item.impact === 'serious' || item.impact === 'critical').map((item) => `${item.id} (${item.nodes.length})`);
      });
      findings.push(...violations.map((item) => `${pathname}: ${item}`));
      await page.setViewportSize({ width: 375, height: 800 });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      if (overflow > 0) findings.push(`${pathname}: ${overflow}px of horizontal scrolling at 375px`);
      await page.close();
    }
    expect(findings).toEqual([]);
    expect(problems).toEqual([]);
  }, 120_000);
});
