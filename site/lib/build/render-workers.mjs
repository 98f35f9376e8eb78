// Bundles the page-body worker (site/lib/render/body-worker.ts) for `astro build`, so workflow pages get
// their bodies from worker threads (site/lib/render/workflow-bodies.ts) and the build uses more than one
// core. The bundle keeps node_modules imports external, so it lives inside the project's node_modules
// (named by its content hash: parallel builds share one file, and a stale one is never reused).
import { createHash } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ENTRY = fileURLToPath(new URL('../render/body-worker.ts', import.meta.url));
const ENV = 'IDA_RENDER_WORKER';
const POOLS = Symbol.for('ida-catalog.render-pools');

/**
 * Bundles the worker into node_modules/.cache/ida-catalog/ (once per content) and returns its path.
 * @returns {Promise<string>}
 */
export async function bundleBodyWorker() {
  const root = path.resolve(path.dirname(ENTRY), '../../..');
  const result = await build({ entryPoints: [ENTRY], bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', write: false, logLevel: 'silent' });
  const code = result.outputFiles[0]?.text ?? '';
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const folder = path.join(root, 'node_modules', '.cache', 'ida-catalog');
  const file = path.join(folder, `body-worker-${hash}.mjs`);
  if (!existsSync(file)) {
    await mkdir(folder, { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    await writeFile(temporary, code);
    await rename(temporary, file);
  }
  return file;
}

/** @returns {import('astro').AstroIntegration} */
export function renderWorkers() {
  return {
    name: 'ida:render-workers',
    hooks: {
      'astro:build:start': async () => {
        process.env[ENV] = await bundleBodyWorker();
      },
      'astro:build:done': async () => {
        delete process.env[ENV];
        /** @type {Set<{ close: () => Promise<void> }> | undefined} */
        const pools = /** @type {any} */ (globalThis)[POOLS];
        if (pools) await Promise.all([...pools].map((pool) => pool.close()));
        pools?.clear();
      },
    },
  };
}
