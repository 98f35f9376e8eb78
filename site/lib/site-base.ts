import { base } from 'astro:config/client';

/**
 * The site's base path as pages link with it: always ending in "/", whatever IDA_BASE_PATH was given. From
 * Astro's configuration, not import.meta.env.BASE_URL: in prerendered pages a BASE_URL variable in the build's
 * environment (vitest sets one) overrides that.
 */
export function siteBase(): string {
  return base.replace(/\/?$/, '/');
}
