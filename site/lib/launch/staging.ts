/**
 * Launching with data. A facility with a `staging` service gets one link that carries the datasets; any
 * other facility gets the plain Launch link plus copy-ready instructions — datasets are never dropped.
 *
 * Staging link format, version 1 (for implementers of a staging service):
 *
 *     {staging}?v=1&facility={facility id}&workflow={workflow id}&into={folder}
 *              &dataset={kind}:{url}&dataset={kind}:{url}…&launch={Launch link}
 *
 * - every value is URL-encoded; `{staging}` may carry its own query parameters, which are kept;
 * - `dataset` repeats, in the user's order; `kind` is `url`, `doi`, `tap` or `rucio`, `url` is the
 *   data set's http(s) URL (a DOI as https://doi.org/…, a Rucio DID as the Rucio server's DID page
 *   `…/did?scope=S&name=N`, a TAP query as the full sync/async request);
 * - `into` is where the data should land, relative to the user's home: `{clone folder}/data`, so the
 *   notebook finds it at `data/` beside itself;
 * - `launch` is the Launch link (nbgitpuller or BinderHub) the service redirects the browser to once the
 *   data is staged (or staging has been queued).
 * - anyone can craft such a link, so a service must check every data set URL itself: refuse loopback, private,
 *   link-local and reserved hosts (the rule is `classifyHost` in catalog/contract/host.ts; the site's cart
 *   refuses them too unless its build lists intranet hosts in IDA_PRIVATE_DATA_HOSTS), and check the address
 *   it actually connects to, on every redirect, not only the name (a public name can resolve to 10.0.0.1).
 */
import type { Dataset } from '../../../catalog/contract/index.js';
import { cleanTitle } from './datasets.js';
import { safeWebUrl } from './safe-url.js';

export const STAGING_FORMAT_VERSION = 1;
/** Long links break in proxies and browsers; past this, the datasets are given as instructions instead. */
export const MAX_STAGING_URL = 8000;

export type StagingInput = {
  staging: string;
  facilityId: string;
  workflowId: string;
  /** The Launch link the service continues to. */
  launch: string;
  /** Clone folder of the workflow's repository (see cloneFolder). */
  folder: string;
  datasets: readonly Dataset[];
};

export function dataFolder(folder: string): string {
  return `${folder}/data`;
}

export function stagingUrl(input: StagingInput): string | null {
  const base = safeWebUrl(input.staging);
  const launch = safeWebUrl(input.launch);
  if (!base || !launch || input.datasets.length === 0) return null;
  const params = base.searchParams;
  params.set('v', String(STAGING_FORMAT_VERSION));
  params.set('facility', input.facilityId);
  params.set('workflow', input.workflowId);
  params.set('into', dataFolder(input.folder));
  for (const dataset of input.datasets) {
    const url = safeWebUrl(dataset.url);
    if (!url) return null;
    params.append('dataset', `${dataset.kind}:${url.href}`);
  }
  params.set('launch', launch.href);
  base.search = params.toString().replace(/\+/g, '%20');
  return safeWebUrl(base.href, MAX_STAGING_URL)?.href ?? null;
}

/** A string as one shell word, safe to paste into a terminal. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * Copy-ready terminal commands that fetch the datasets into the workflow's data folder, to run in the
 * session's terminal after launching. One line per dataset, with its title as a comment.
 */
export function dataInstructions(datasets: readonly Dataset[], folder: string): string {
  const lines = [`mkdir -p ${shellQuote(dataFolder(folder))} && cd ${shellQuote(dataFolder(folder))}`];
  datasets.forEach((dataset, index) => {
    const url = safeWebUrl(dataset.url)?.href;
    if (!url) return;
    const comment = `# ${cleanTitle(dataset.title)}`;
    switch (dataset.kind) {
      case 'url':
        lines.push(comment, `curl -fLO --retry 3 ${shellQuote(url)}`);
        break;
      case 'tap':
        lines.push(comment, `curl -fL --retry 3 -o ${shellQuote(`tap-result-${index + 1}.xml`)} ${shellQuote(url)}`);
        break;
      case 'doi':
        lines.push(`${comment} — DOI ${dataset.id ?? ''}: open ${url} and download the files you need here`);
        break;
      case 'rucio':
        lines.push(comment, `rucio download ${shellQuote(dataset.id ?? '')}  # Rucio server: ${new URL(url).origin}`);
        break;
    }
  });
  return lines.join('\n');
}
