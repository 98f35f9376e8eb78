// Bundles the page worker (site/lib/render/page-worker.ts) for `astro build` and starts one per core (at most
// four) with the build: they write the workflow pages (page-writers.mjs) while Astro's thread does the rest.
// The bundle keeps node_modules imports external, so it lives inside the project's node_modules, named by a
// hash of its code: parallel builds share one file, and a stale one is never reused.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { PAGE_WRITERS, PageWriters, WORKER_HEAP_MIB } from './page-writers.mjs';

const ENTRY = fileURLToPath(new URL('../render/page-worker.ts', import.meta.url));
/**
 * TEMPLATE_ID of render/page-template.ts, which this module cannot import: Astro loads its configuration with
 * Node's own loader, which takes no TypeScript (test/site/page-writers.test.ts checks the two agree).
 */
export const TEMPLATE_ID = '_ida-page-template';
/** Worker threads beyond four gain little and cost memory (each holds the catalog). */
const MAX_WORKERS = 4;
/** How many page workers a build starts; 0: none, Astro renders every workflow page (as the dev server does). */
const WORKERS_ENV = 'IDA_PAGE_WORKERS';

/** Each page worker's heap limit in MiB (page-writers.mjs, WORKER_HEAP_MIB), for a catalog too large for the default. */
const HEAP_ENV = 'IDA_PAGE_WORKER_HEAP_MIB';

/** @param {string} name @param {number} fallback @param {number} least @returns {number} */
function wholeNumberFromEnv(name, fallback, least) {
  const asked = process.env[name];
  if (asked === undefined || asked === '') return fallback;
  const value = Number(asked);
  if (!Number.isInteger(value) || value < least) throw new Error(`${name} must be a whole number, at least ${least}, not ${JSON.stringify(asked)}`);
  return value;
}

/** @returns {number} */
function workerCount() {
  return wholeNumberFromEnv(WORKERS_ENV, Math.min(availableParallelism(), MAX_WORKERS), 0);
}
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
export async function bundlePageWorker() {
  const { version } = await previewRendererVersion();
  const result = await bundle(ENTRY, { define: { PREVIEW_RENDERER_VERSION: JSON.stringify(version) } });
  const code = result.outputFiles[0]?.text ?? '';
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const folder = path.join(ROOT, 'node_modules', '.cache', 'ida-catalog');
  const file = path.join(folder, `page-worker-${hash}.mjs`);
  if (!existsSync(file)) {
    await mkdir(folder, { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    await writeFile(temporary, code);
    await rename(temporary, file);
  }
  return file;
}

/**
 * Starts the build's page writers (page-writers.mjs) as soon as the configuration is known, so the workers
 * render while Astro syncs content and bundles; hands them the template page Astro rendered; waits for them
 * when the build is done. The dev server renders pages in-process.
 * @returns {import('astro').AstroIntegration}
 */
export function renderWorkers() {
  /** @type {string | undefined} */
  let command;
  /** @type {ReturnType<typeof PageWriters.starting> | undefined} */
  let writers;
  return {
    name: 'ida:render-workers',
    hooks: {
      'astro:config:setup': (options) => {
        command = options.command;
      },
      'astro:config:done': ({ config }) => {
        const workers = command === 'build' ? workerCount() : 0;
        if (workers === 0) return;
        // Not awaited: bundling the worker overlaps Astro's own start-up.
        // Rendered previews are kept in Astro's cache folder, which CI keeps between nightly builds.
        writers = PageWriters.starting(bundlePageWorker(), {
          base: config.base.replace(/\/?$/, '/'),
          site: config.site ?? 'http://localhost/',
          outDir: fileURLToPath(config.outDir),
          workers,
          // One core stays Astro's until it has rendered its pages.
          holdBack: 1,
          heapMiB: wholeNumberFromEnv(HEAP_ENV, WORKER_HEAP_MIB, 1),
          previewCache: path.join(fileURLToPath(config.cacheDir), 'ida-previews'),
        });
        /** @type {any} */ (globalThis)[PAGE_WRITERS] = writers;
      },
      'astro:build:generated': async ({ dir }) => {
        // The workflow route rendered the template (when the workers write its pages): hand it over, and
        // take it out of the site.
        const folder = path.join(fileURLToPath(dir), 'workflows', TEMPLATE_ID);
        const file = path.join(folder, 'index.html');
        const template = existsSync(file) ? readFileSync(file, 'utf8') : null;
        rmSync(folder, { recursive: true, force: true });
        await writers?.useTemplate(template);
      },
      'astro:build:done': async ({ logger }) => {
        delete (/** @type {any} */ (globalThis)[PAGE_WRITERS]);
        const finishing = writers;
        writers = undefined;
        const pages = await finishing?.finish();
        // Astro's own count ("N page(s) built") leaves these out: it saw one page, the template.
        if (pages && pages.written + pages.inProcess > 0) logger.info(`${pages.written + pages.inProcess} workflow pages written (${pages.inProcess} of them by the build's thread)`);
      },
    },
  };
}
