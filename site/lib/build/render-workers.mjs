// Bundles the page-body worker (site/lib/render/body-worker.ts) for `astro build` and starts it with the
// build, so workflow pages find their bodies rendered (body-store.mjs) and the build uses a second core.
// The bundle keeps node_modules imports external, so it lives inside the project's node_modules, named by a
// hash of its code: parallel builds share one file, and a stale one is never reused.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { BODY_STORE, BodyStore } from './body-store.mjs';

const ENTRY = fileURLToPath(new URL('../render/body-worker.ts', import.meta.url));
const PREVIEW_ENTRY = fileURLToPath(new URL('../render/workflow-preview.ts', import.meta.url));
const ROOT = path.resolve(path.dirname(ENTRY), '../../..');

/** @param {string} entry @param {import('esbuild').BuildOptions} [options] */
function bundle(entry, options = {}) {
  return build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', write: false, logLevel: 'silent', ...options });
}

/**
 * The notebook preview renderer's version, for the preview cache (render/preview-cache.ts): a hash of the code
 * a preview's HTML depends on (workflow-preview.ts and everything it imports from the project, bundled) and of
 * the lockfile (the libraries it imports). A change elsewhere in the site (the Launch panel, search) keeps
 * the cache; a change to the preview's code or to any dependency starts a fresh one.
 * @returns {Promise<{ version: string; files: string[] }>} and the project files that went into it
 */
export async function previewRendererVersion() {
  const [result, lockfile] = await Promise.all([bundle(PREVIEW_ENTRY, { metafile: true }), readFile(path.join(ROOT, 'package-lock.json')).catch(() => Buffer.alloc(0))]);
  const code = result.outputFiles?.[0]?.text ?? '';
  const version = createHash('sha256').update(code).update('\0').update(lockfile).digest('hex').slice(0, 16);
  return { version, files: Object.keys(result.metafile?.inputs ?? {}).sort() };
}

/**
 * Bundles the worker into node_modules/.cache/ida-catalog/ (once per content) and returns its path. The
 * preview renderer's version is built in (the constant PREVIEW_RENDERER_VERSION).
 * @returns {Promise<string>}
 */
export async function bundleBodyWorker() {
  const { version } = await previewRendererVersion();
  const result = await bundle(ENTRY, { define: { PREVIEW_RENDERER_VERSION: JSON.stringify(version) } });
  const code = result.outputFiles[0]?.text ?? '';
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const folder = path.join(ROOT, 'node_modules', '.cache', 'ida-catalog');
  const file = path.join(folder, `body-worker-${hash}.mjs`);
  if (!existsSync(file)) {
    await mkdir(folder, { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    await writeFile(temporary, code);
    await rename(temporary, file);
  }
  return file;
}

/**
 * Starts the build's body store (body-store.mjs) as soon as the configuration is known, so the worker
 * renders while Astro syncs content and bundles; stops it when the build is done. The dev server and
 * a one-core machine render bodies in-process.
 * @returns {import('astro').AstroIntegration}
 */
export function renderWorkers() {
  /** @type {string | undefined} */
  let command;
  /** @type {ReturnType<typeof BodyStore.starting> | undefined} */
  let store;
  return {
    name: 'ida:render-workers',
    hooks: {
      'astro:config:setup': (options) => {
        command = options.command;
      },
      'astro:config:done': ({ config }) => {
        if (command !== 'build' || availableParallelism() < 2) return;
        // Not awaited: bundling the worker overlaps Astro's own start-up.
        // Rendered previews are kept in Astro's cache folder, which CI keeps between nightly builds.
        const previewCache = path.join(fileURLToPath(config.cacheDir), 'ida-previews');
        store = BodyStore.starting(bundleBodyWorker(), { base: config.base.replace(/\/?$/, '/'), previewCache });
        /** @type {any} */ (globalThis)[BODY_STORE] = store;
      },
      'astro:build:done': async () => {
        delete (/** @type {any} */ (globalThis)[BODY_STORE]);
        await store?.close();
        store = undefined;
      },
    },
  };
}
