/**
 * A loopback git smart-HTTP server (node:http on 127.0.0.1) over real repositories, `git upload-pack
 * --stateless-rpc` doing the work, that can misbehave on purpose: `trickle-refs` answers the ref
 * advertisement one byte at a time, forever; `trickle-pack` advertises refs properly and then trickles the
 * pack; `slow-pack` sends the real pack at `bytesPerSecond`. Request headers are recorded.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

export type SmartHttpMode = 'serve' | 'trickle-refs' | 'trickle-pack' | 'slow-pack';

export type SmartHttpServer = {
  url: string;
  mode: SmartHttpMode;
  /** Headers of every request, in order. */
  requests: { path: string; headers: http.IncomingHttpHeaders }[];
  close(): Promise<void>;
};

const ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: os.tmpdir(), GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };

function pkt(line: string): string {
  return `${(line.length + 4).toString(16).padStart(4, '0')}${line}`;
}

function uploadPack(dir: string, args: string[], input: Buffer | null): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['upload-pack', '--stateless-rpc', ...args, dir], { env: ENV, stdio: ['pipe', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', reject);
    child.on('close', () => resolve(Buffer.concat(chunks)));
    child.stdin.end(input ?? undefined);
  });
}

export async function startSmartHttpServer(base: string, mode: SmartHttpMode, options: { bytesPerSecond?: number } = {}): Promise<SmartHttpServer> {
  const timers = new Set<NodeJS.Timeout>();
  const state: SmartHttpServer = { url: '', mode, requests: [], close: async () => {} };
  const trickle = (res: http.ServerResponse, contentType: string) => {
    res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-cache' });
    const timer = setInterval(() => res.write('a'), 100);
    timers.add(timer);
    res.on('close', () => {
      clearInterval(timer);
      timers.delete(timer);
    });
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    state.requests.push({ path: url.pathname, headers: req.headers });
    const body: Buffer[] = [];
    req.on('data', (chunk: Buffer) => body.push(chunk));
    req.on('end', () => {
      void (async () => {
        if (url.pathname.endsWith('/info/refs') && url.searchParams.get('service') === 'git-upload-pack') {
          if (state.mode === 'trickle-refs') return trickle(res, 'application/x-git-upload-pack-advertisement');
          const dir = path.join(base, url.pathname.slice(1, -'/info/refs'.length));
          const refs = await uploadPack(dir, ['--advertise-refs'], null);
          res.writeHead(200, { 'content-type': 'application/x-git-upload-pack-advertisement', 'cache-control': 'no-cache' });
          res.end(Buffer.concat([Buffer.from(`${pkt('# service=git-upload-pack\n')}0000`), refs]));
          return;
        }
        if (url.pathname.endsWith('/git-upload-pack') && req.method === 'POST') {
          if (state.mode === 'trickle-pack') return trickle(res, 'application/x-git-upload-pack-result');
          const dir = path.join(base, url.pathname.slice(1, -'/git-upload-pack'.length));
          const raw = Buffer.concat(body);
          const pack = await uploadPack(dir, [], req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw);
          res.writeHead(200, { 'content-type': 'application/x-git-upload-pack-result', 'cache-control': 'no-cache' });
          if (state.mode !== 'slow-pack') return void res.end(pack);
          const chunk = Math.max(1, Math.floor((options.bytesPerSecond ?? 50_000) / 20));
          let offset = 0;
          const timer = setInterval(() => {
            if (res.destroyed || offset >= pack.length) {
              clearInterval(timer);
              timers.delete(timer);
              if (!res.destroyed) res.end();
              return;
            }
            res.write(pack.subarray(offset, offset + chunk));
            offset += chunk;
          }, 50);
          timers.add(timer);
          return;
        }
        res.writeHead(404);
        res.end();
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  state.close = () =>
    new Promise<void>((resolve) => {
      for (const timer of timers) clearInterval(timer);
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
