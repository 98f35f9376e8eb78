/** The site's base path as pages link with it: always ending in "/", whatever IDA_BASE_PATH was given. */
export function siteBase(): string {
  return import.meta.env.BASE_URL.replace(/\/?$/, '/');
}
