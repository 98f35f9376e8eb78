/**
 * The size of each data set for the confirmation page: a HEAD request with a short timeout, to allowed
 * hosts only, following at most three redirects and only to allowed hosts. A public name is connected to
 * only when it resolves to a public address (a name that resolves to a loopback or private address must be
 * listed exactly, like the address itself). Failures just leave the size unknown.
 */
import http from 'node:http';
import https from 'node:https';
import type { HostPattern } from '../catalog/contract/index.js';
import { classifyHost } from '../catalog/contract/index.js';
import { publicOnlyLookup } from '../catalog/net/public-lookup.js';
import { hostAllowed } from './config.js';

export type SizeInfo = { bytes: number | null; type: string | null; note: string | null };

function headOnce(url: URL, timeoutMs: number): Promise<{ status: number; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    // A host listed exactly (loopback test data, an intranet archive) is trusted as the operator named it.
    const lookup = classifyHost(url.hostname) === 'public' ? publicOnlyLookup() : undefined;
    const request = client.request(url, { method: 'HEAD', timeout: timeoutMs, lookup, headers: { 'User-Agent': 'ida-catalog-stager', Accept: '*/*' } }, (response) => {
      response.resume();
      resolve({ status: response.statusCode ?? 0, headers: response.headers });
    });
    request.on('timeout', () => request.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    request.on('error', reject);
    request.end();
  });
}

export async function headSize(start: string, patterns: readonly HostPattern[], timeoutMs: number): Promise<SizeInfo> {
  let url = new URL(start);
  for (let hop = 0; hop <= 3; hop += 1) {
    if (!hostAllowed(url, patterns)) return { bytes: null, type: null, note: `redirects to ${url.host}, which is not an allowed host` };
    let answer: Awaited<ReturnType<typeof headOnce>>;
    try {
      answer = await headOnce(url, timeoutMs);
    } catch (error) {
      return { bytes: null, type: null, note: `size unknown (${(error as NodeJS.ErrnoException).code ?? 'no answer'})` };
    }
    const location = answer.headers.location;
    if (answer.status >= 300 && answer.status < 400 && location) {
      try {
        url = new URL(location, url);
      } catch {
        return { bytes: null, type: null, note: 'size unknown (bad redirect)' };
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:') return { bytes: null, type: null, note: 'size unknown (bad redirect)' };
      continue;
    }
    if (answer.status >= 400) return { bytes: null, type: null, note: `the host answered ${answer.status}` };
    const length = Number(answer.headers['content-length']);
    return { bytes: Number.isSafeInteger(length) && length >= 0 ? length : null, type: answer.headers['content-type']?.split(';')[0]?.trim() ?? null, note: null };
  }
  return { bytes: null, type: null, note: 'size unknown (too many redirects)' };
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
