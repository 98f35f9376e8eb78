/**
 * Builds the real site (astro build) from given inputs into a temporary folder, so browser tests run
 * against exactly what `npm run build` produces. Each build gets its own out and cache dirs, so builds
 * from parallel test files never share state.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

export type SiteInputs = {
  /** facilities.yaml to build from (default: the committed one). */
  facilities?: string;
  /** Catalog directory with workflows.json etc. (default: the committed catalog/). */
  catalogDir?: string;
  /** Extra environment for the build (e.g. IDA_BASE_PATH). */
  env?: Record<string, string>;
};

export async function buildSite(inputs: SiteInputs = {}): Promise<{ outDir: string; log: string }> {
  // Inside the project (.cache/ is git-ignored): for an outDir outside the working directory Astro writes its
  // prerender bundle to <root>/.astro/ instead, which parallel builds share, so one build renders another's data.
  await mkdir(path.join(projectRoot, '.cache'), { recursive: true });
  const work = await mkdtemp(path.join(projectRoot, '.cache', 'ida-site-'));
  const outDir = path.join(work, 'dist');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ASTRO_TELEMETRY_DISABLED: '1',
    IDA_OUT_DIR: outDir,
    IDA_CACHE_DIR: path.join(work, 'cache'),
    ...(inputs.facilities ? { IDA_FACILITIES: path.resolve(inputs.facilities) } : {}),
    ...(inputs.catalogDir ? { IDA_CATALOG_DIR: path.resolve(inputs.catalogDir) } : {}),
    ...inputs.env,
  };
  const astro = path.join(projectRoot, 'node_modules', 'astro', 'astro.js');
  const log = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, [astro, 'build'], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`astro build failed (exit ${code}):\n${output.slice(-4000)}`))));
  }).catch(async (error: unknown) => {
    // A failed build leaves nothing worth keeping behind.
    await rm(work, { recursive: true, force: true });
    throw error;
  });
  return { outDir, log };
}
