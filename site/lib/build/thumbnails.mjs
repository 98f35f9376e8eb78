// Workflow thumbnails (workflows/<id>/thumbnail.<ext>, so a search card needs only the workflow id) are copies
// of catalog media. Rendered as Astro routes they cost a full page render each (≈2 s for 3,000 of them), so
// in a build the route only lists them (site/lib/media-route.ts) and this integration copies the files once
// the pages are written. The dev server serves them from the route as before.
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pLimit from 'p-limit';

const ENV = 'IDA_COPY_THUMBNAILS';
const COPIES = Symbol.for('ida-catalog.thumbnail-copies');

/** @returns {import('astro').AstroIntegration} */
export function workflowThumbnails() {
  return {
    name: 'ida:workflow-thumbnails',
    hooks: {
      'astro:build:start': () => {
        process.env[ENV] = '1';
      },
      'astro:build:done': async ({ dir }) => {
        delete process.env[ENV];
        const out = path.resolve(fileURLToPath(dir));
        /** @type {Map<string, string>} target path in the output → source file */
        const copies = /** @type {any} */ (globalThis)[COPIES] ?? new Map();
        // Several copies in flight: one at a time, each waits out a file-system round trip (≈1 s for 3,000).
        const limit = pLimit(16);
        const targets = [...copies].map(([to, from]) => {
          const target = path.resolve(out, to);
          // `to` is built from contract-checked ids; refuse anything that would leave the output folder all the same.
          if (!target.startsWith(out + path.sep)) throw new Error(`thumbnail target ${to} is outside ${out}`);
          return { target, from };
        });
        await Promise.all(
          targets.map(({ target, from }) =>
            limit(async () => {
              await mkdir(path.dirname(target), { recursive: true });
              await copyFile(from, target);
            }),
          ),
        );
        copies.clear();
      },
    },
  };
}
