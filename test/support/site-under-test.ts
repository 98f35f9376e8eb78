/**
 * One built site, served on 127.0.0.1, with Debian's Chromium ready: the fixture every browser suite
 * starts in beforeAll (one astro build per suite) and closes in afterAll.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from './browser.js';
import { buildSite, type SiteInputs } from './build-site.js';
import { serveStatic } from './serve-static.js';

export type SiteUnderTest = {
  browser: Browser;
  server: Awaited<ReturnType<typeof serveStatic>>;
  outDir: string;
  close: () => Promise<void>;
};

/**
 * Writes a catalog with `writeCatalog(dir)`, builds the site from it and serves it. Returns null (after
 * launchChromium's loud message) when Chromium is unavailable outside CI.
 */
export async function startSiteUnderTest(
  suite: string,
  writeCatalog: (catalogDir: string) => Promise<unknown>,
  inputs: Omit<SiteInputs, 'catalogDir'> = {},
): Promise<SiteUnderTest | null> {
  const browser = await launchChromium(suite);
  if (!browser) return null;
  const work = await mkdtemp(path.join(tmpdir(), 'ida-site-test-'));
  const catalogDir = path.join(work, 'catalog');
  await writeCatalog(catalogDir);
  const { outDir } = await buildSite({ ...inputs, catalogDir });
  const server = await serveStatic(outDir);
  return {
    browser,
    server,
    outDir,
    close: async () => {
      await browser.close();
      await server.close();
      await rm(work, { recursive: true, force: true });
      await rm(path.dirname(outDir), { recursive: true, force: true });
    },
  };
}
