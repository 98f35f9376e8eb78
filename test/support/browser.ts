/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser), with the flags this
 * machine's closed network needs. Suites call `launchChromium` in beforeAll and skip when it returns null.
 */
import { chromium, type Browser } from 'playwright-core';
import { requireDebianPackages } from './debian.js';

export const CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Returns a running browser, or null (after a loud message) when Chromium is unavailable outside CI. */
export async function launchChromium(suite: string): Promise<Browser | null> {
  const available = requireDebianPackages(suite, [{ name: 'chromium', provides: CHROMIUM }]);
  if (!available.ok) return null;
  return chromium.launch({
    executablePath: CHROMIUM,
    // playwright-core gives each launch a fresh temporary profile of its own.
    args: CHROMIUM_FLAGS,
    timeout: 60_000,
  });
}
