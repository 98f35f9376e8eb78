// Keeps `astro build`'s heap near its live size. Rendering 10,000 workflow pages allocates fast and keeps
// little (10,000 workflows build with --max-old-space-size=640 at the same speed, peak RSS 527 MiB; a full
// collection mid-build leaves ~200 MiB of heap in use), but with
// Node's default heap limit (~4 GiB here) V8 lets garbage pile up: peak RSS passed 1 GiB. Rather than ask
// every build (CI, the benchmark, a contributor's laptop) to pass a Node flag, the build starts a full
// collection itself when its resident memory passes a threshold, at most once every few seconds. It asks for
// it asynchronously: V8 marks concurrently and in steps, where a synchronous collection stopped page rendering
// for ~200 ms each time (measured 4–5 times per 10,000-workflow build), and the heap comes down just the same.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** @param {{ rssMiB?: number; everyMs?: number }} [options] @returns {import('astro').AstroIntegration} */
export function buildMemoryCap({ rssMiB = 720, everyMs = 4000 } = {}) {
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  return {
    name: 'ida:build-memory-cap',
    hooks: {
      'astro:build:start': () => {
        setFlagsFromString('--expose-gc');
        /** @type {(options: { type: 'major'; execution: 'async' }) => void} */
        const gc = runInNewContext('gc');
        let last = 0;
        timer = setInterval(() => {
          const now = Date.now();
          if (now - last < everyMs || process.memoryUsage.rss() < rssMiB * 1024 * 1024) return;
          last = now;
          gc({ type: 'major', execution: 'async' });
        }, 250);
        timer.unref();
      },
      'astro:build:done': () => clearInterval(timer),
    },
  };
}
