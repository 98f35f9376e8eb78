/**
 * The built site's facility slice: /facilities/, one page per facility, /api/facilities.json — built by
 * the real `astro build` from a test registry whose values try to inject HTML.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FacilitiesPage } from '../../catalog/contract/index.js';
import { launchChromium } from '../support/browser.js';
import { buildSite } from '../support/build-site.js';
import { serveStatic } from '../support/serve-static.js';

const HOSTILE_NAME = '<script>alert("pwned")</script> Hub';
const registry = `
- id: alpha
  name: Alpha Edinburgh Hub
  description: A JupyterHub in Edinburgh.
  url: https://alpha.example.org/hub/
  type: jupyterhub
  interfaces: [lab, notebook]
  defaultInterface: notebook
  access: institutional
  auth: University account
  organisation: Alpha Observatory
  country: GB
  contact: help@alpha.example.org
  docs: https://docs.alpha.example.org/
  languages: [python, julia]
  images: [jupyter/scipy-notebook]
  staging: https://stage.alpha.example.org/
  tags: [radio, escape]
- id: beta
  name: Beta Binder
  description: 'Runs <img src=x onerror=alert(1)> anything.'
  url: http://beta.example.org/
  staging: http://127.0.0.1:8001/stage
  plainHttp: true
  privateNetwork: true
  type: binderhub
  interfaces: [lab]
  defaultInterface: lab
  access: public
- id: hostile
  name: '${HOSTILE_NAME}'
  url: https://hostile.example.org/
  type: other
  interfaces: [desktop]
  defaultInterface: desktop
  access: restricted
`;

let outDir: string;
const read = (file: string) => readFile(path.join(outDir, file), 'utf8');

beforeAll(async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'ida-facilities-site-'));
  const facilities = path.join(dir, 'facilities.yaml');
  await writeFile(facilities, registry);
  ({ outDir } = await buildSite({ facilities }));
}, 300_000);

describe('built facility pages', () => {
  it('builds the home page, the listing, a page per facility and the API', () => {
    for (const file of ['index.html', 'facilities/index.html', 'facilities/alpha/index.html', 'facilities/beta/index.html', 'facilities/hostile/index.html', 'api/facilities.json']) {
      expect(existsSync(path.join(outDir, file)), file).toBe(true);
    }
  });

  it('escapes everything from YAML: a <script> name shows as text', async () => {
    // Inside quoted attribute values (meta content) "<" is inert, and Astro writes every value in double
    // quotes with '"' escaped; what matters is that no element is made.
    const markup = (html: string) => html.replace(/="[^"]*"/g, '=""');
    const scripts = (html: string) => markup(html).match(/<script\b/g)?.length ?? 0;
    const reference = scripts(await read('facilities/alpha/index.html'));
    expect(scripts(await read('facilities/hostile/index.html'))).toBe(reference);
    expect(scripts(await read('facilities/beta/index.html'))).toBe(reference);
    expect(await read('facilities/hostile/index.html')).toContain('<h1>&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; Hub</h1>');
    expect(await read('facilities/beta/index.html')).toContain('Runs &lt;img src=x onerror=alert(1)&gt; anything.');
    expect(markup(await read('facilities/index.html'))).not.toMatch(/<img|<script>alert/);
    expect(await read('facilities/index.html')).toContain('&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; Hub</a>');
  });

  it('the listing links every facility, sorted by name, and ships the filter', async () => {
    const html = await read('facilities/index.html');
    const links = [...html.matchAll(/href="\/facilities\/([a-z-]+)\/"/g)].map((match) => match[1]);
    expect(links).toEqual(['hostile', 'alpha', 'beta']);
    expect(html).toContain('id="facility-keyword"');
  });

  it('a facility page shows every field the schema holds', async () => {
    const html = await read('facilities/alpha/index.html');
    for (const text of [
      'Alpha Edinburgh Hub',
      'A JupyterHub in Edinburgh.',
      'href="https://alpha.example.org/hub/"',
      'JupyterHub',
      'Institutional',
      'University account',
      'notebook (default)',
      'python, julia',
      'Alpha Observatory',
      'GB',
      'href="mailto:help@alpha.example.org"',
      'href="https://docs.alpha.example.org/"',
      'jupyter/scipy-notebook',
      'https://stage.alpha.example.org/',
      'radio, escape',
    ]) {
      expect(html, text).toContain(text);
    }
    expect(await read('facilities/beta/index.html')).toContain('served over plain http');
  });

  it('a privateNetwork facility says which of its hosts are private, and no other page does', async () => {
    const beta = await read('facilities/beta/index.html');
    expect(beta).toMatch(/class="facility-warning facility-private" role="note"[^>]*>\s*This is an intranet or test facility: <code>127\.0\.0\.1:8001<\/code>\s*is on a private network or this machine/);
    expect(beta).not.toContain('<code>beta.example.org</code> is');
    for (const id of ['alpha', 'hostile']) expect(await read(`facilities/${id}/index.html`)).not.toContain('facility-private');
  });

  it('/api/facilities.json is ESAP\'s envelope over the contract\'s facilities', async () => {
    const body = JSON.parse(await read('api/facilities.json'));
    expect(FacilitiesPage.parse(body)).toMatchObject({ requested_page: 1, default_page_size: 50, max_page_size: 500, count: 3, pages: 1 });
    expect(body.results.map((f: { id: string }) => f.id)).toEqual(['hostile', 'alpha', 'beta']);
    expect(body.results[0].name).toBe(HOSTILE_NAME);
  });
});

describe('keyword filter in a browser', () => {
  let browser: Browser | null = null;
  let server: Awaited<ReturnType<typeof serveStatic>> | null = null;

  beforeAll(async () => {
    browser = await launchChromium('facility keyword filter');
    if (browser) server = await serveStatic(outDir);
  });
  afterAll(async () => {
    await server?.close();
    await browser?.close();
  });

  const visible = async (page: import('playwright-core').Page) =>
    page.$$eval('[data-facility]', (items) => items.filter((item) => !(item as HTMLElement).hidden).map((item) => (item as HTMLElement).dataset.facility));

  it('filters live, case-insensitively, and keeps the keyword in the URL', async (context) => {
    if (!browser || !server) return context.skip();
    const page = await browser.newPage();
    await page.goto(`${server.url}/facilities/`);
    expect(await visible(page)).toEqual(['hostile', 'alpha', 'beta']);
    await page.fill('#facility-keyword', 'EDINBURGH');
    expect(await visible(page)).toEqual(['alpha']);
    expect(new URL(page.url()).searchParams.get('keyword')).toBe('EDINBURGH');
    expect(await page.textContent('#facility-count')).toBe('1 of 3 facilities match');
    await page.fill('#facility-keyword', 'beta.example');
    expect(await visible(page)).toEqual(['beta']);
    await page.fill('#facility-keyword', 'nothing-like-this');
    expect(await visible(page)).toEqual([]);
    expect(await page.isVisible('[data-facility-empty]')).toBe(true);
    await page.fill('#facility-keyword', '');
    expect(await visible(page)).toHaveLength(3);
    expect(new URL(page.url()).search).toBe('');
    await page.close();
  });

  it('shows a hostile name as text in the page, creating no element', async (context) => {
    if (!browser || !server) return context.skip();
    const page = await browser.newPage();
    await page.goto(`${server.url}/facilities/hostile/`);
    expect(await page.textContent('h1')).toBe(HOSTILE_NAME);
    expect(await page.$$eval('script', (scripts) => scripts.filter((script) => script.textContent?.includes('pwned')).length)).toBe(0);
    await page.close();
  });

  it('applies ?keyword= on load, so a filtered list can be shared', async (context) => {
    if (!browser || !server) return context.skip();
    const page = await browser.newPage();
    await page.goto(`${server.url}/facilities/?keyword=binder`);
    expect(await page.inputValue('#facility-keyword')).toBe('binder');
    expect(await visible(page)).toEqual(['beta']);
    await page.close();
  });

  it('without JavaScript the list is complete and the inert filter is not shown', async (context) => {
    if (!browser || !server) return context.skip();
    const page = await browser.newPage({ javaScriptEnabled: false });
    await page.goto(`${server.url}/facilities/?keyword=binder`);
    expect(await visible(page)).toEqual(['hostile', 'alpha', 'beta']);
    expect(await page.isVisible('#facility-keyword')).toBe(false);
    await page.close();
  });
});
