/**
 * A staging cell run for real, unstubbed, against a loopback data server: the exact bytes of a binary file
 * whose name needs encoding, and a TAP query fetched from its sync endpoint. Shared by the language suites.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Dataset } from '../../catalog/contract/index.js';
import { cellText, stagingCell } from '../../stager/cell/index.js';

/** Writes the cell for `language` to `home/<script>`, runs it with `run`, and checks what landed in `home/repo/data`. */
export async function expectRealDownloads(work: string, language: string, script: string, run: (file: string, home: string) => Promise<{ stdout: string }>): Promise<void> {
  const body = Buffer.from(Array.from({ length: 70_000 }, (_, index) => (index * 7) % 256));
  const seen: string[] = [];
  const server = createServer((request, response) => {
    seen.push(request.url!);
    if (request.url!.startsWith('/tap/sync?')) response.end('<VOTABLE/>');
    else if (request.url === '/files/run%201.fits') response.end(body);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const home = mkdtempSync(join(work, 'real-'));
    const datasets: Dataset[] = [
      { url: `${base}/files/run%201.fits`, kind: 'url', title: 'run 1' },
      { url: `${base}/tap/async?QUERY=SELECT%201`, kind: 'tap', title: 'q' },
    ];
    writeFileSync(join(home, script), cellText(stagingCell(language, { into: 'repo/data', datasets })));
    const { stdout } = await run(join(home, script), home);
    expect(readFileSync(join(home, 'repo/data/run_1.fits'))).toEqual(body);
    expect(readFileSync(join(home, 'repo/data/tap-result-2.xml'), 'utf8')).toBe('<VOTABLE/>');
    expect(stdout).toContain('70,000 bytes');
    expect(seen).toEqual(['/files/run%201.fits', '/tap/sync?QUERY=SELECT%201']);
  } finally {
    server.close();
  }
}
