/**
 * bench/stage: from the click on "Stage the data and open the notebook" (the confirmation page) to the
 * notebook open with the staging cell first and the data file in the home, the user's server stopped
 * (a new user each run), against the plain nbgitpuller Launch of the same workflow (click → notebook
 * open, also a cold server) in the same run. Goal (issue #16): ratio ≤ 1.3.
 *
 * The hub, the stager (registered through --print-hub-config, execute: true), the data server and the
 * site are test/stager/staging-world.ts's. STAGE_BENCH_RUNS (default 5) runs of each after one unmeasured
 * warm-up pair; the two kinds alternate so the machine's load falls on both alike.
 */
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../test/support/browser.js';
import { chooseOnWorkflowPage, signIn, signInOnly, waitForNotebook, LOCAL_HUB_ID, REPO, WORKFLOW_ID } from '../../test/launch/e2e/world.js';
import { requireStagingPackages, startStagingWorld, type StagingWorld } from '../../test/stager/staging-world.js';
import { stagingUrl } from '../../site/lib/launch/staging.js';
import { median, seconds } from '../stats.js';

const GOAL = 1.3;
const RUNS = Number(process.env.STAGE_BENCH_RUNS ?? 5);

async function plainLaunch(browser: Browser, world: StagingWorld, user: string): Promise<number> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    await signInOnly(page, world, user);
    const launch = await chooseOnWorkflowPage(page, world);
    const started = performance.now();
    await launch.click();
    await waitForNotebook(page, 1, 60_000);
    return performance.now() - started;
  } finally {
    await context.close();
  }
}

async function stagedLaunch(browser: Browser, world: StagingWorld, user: string): Promise<number> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    // The Launch link the workflow page offers, inside the staging link the cart would write.
    const launch = (await (await chooseOnWorkflowPage(page, world)).getAttribute('href'))!;
    const link = stagingUrl({ staging: world.stagerUrl, facilityId: LOCAL_HUB_ID, workflowId: WORKFLOW_ID, launch, folder: REPO, datasets: [{ kind: 'url', url: world.data.url, title: 'Sample table' }] })!;
    await page.goto(link);
    await signIn(page, world, user);
    const confirm = page.getByRole('button', { name: 'Stage the data and open the notebook' });
    await confirm.waitFor({ timeout: 30_000 });
    const started = performance.now();
    await confirm.click();
    await waitForNotebook(page, 1, 60_000);
    await page.locator('.cell').first().locator('.input_area').filter({ hasText: 'Data staging by ida-catalog' }).waitFor({ timeout: 10_000 });
    const elapsed = performance.now() - started;
    if (!existsSync(world.stagedFile(user))) throw new Error(`the data file is not in ${user}'s home after the notebook opened`);
    // The stager logs each staging's phases (server start, pull, notebook read, cell run, write).
    const phases = world.hub.log().split('\n').find((line) => line.includes(`staged for ${user}:`));
    if (phases) console.log(`  ${phases.replace(/^.*staged for /, 'stager: ')}`);
    return elapsed;
  } finally {
    await context.close();
  }
}

async function main(): Promise<number> {
  const suite = 'bench/stage';
  if (!requireStagingPackages(suite).ok) return 1;
  const browser = await launchChromium(suite);
  if (!browser) return 1;
  const world = await startStagingWorld({ execute: true }).catch(async (error: unknown) => {
    await browser.close();
    throw error;
  });
  try {
    const staged: number[] = [];
    const plain: number[] = [];
    for (let run = 0; run <= RUNS; run += 1) {
      // Alternate which goes first, so neither always follows the other's work.
      const order = run % 2 === 0 ? (['staged', 'plain'] as const) : (['plain', 'staged'] as const);
      const times: Record<string, number> = {};
      for (const kind of order) {
        times[kind] = kind === 'staged' ? await stagedLaunch(browser, world, `stage-${run}`) : await plainLaunch(browser, world, `plain-${run}`);
      }
      const line = `staged ${seconds(times.staged!)}, plain Launch ${seconds(times.plain!)}, ratio ${(times.staged! / times.plain!).toFixed(2)}`;
      if (run === 0) {
        console.log(`warm-up (not counted): ${line}`);
        continue;
      }
      staged.push(times.staged!);
      plain.push(times.plain!);
      console.log(`run ${run}: ${line}`);
    }
    const ratio = median(staged) / median(plain);
    console.log(`\nconfirm → notebook open with the data staged (cold server, execute: true): median ${seconds(median(staged))} over ${staged.length} runs (min ${seconds(Math.min(...staged))}, max ${seconds(Math.max(...staged))})`);
    console.log(`plain nbgitpuller Launch of the same workflow (cold server): median ${seconds(median(plain))} (min ${seconds(Math.min(...plain))}, max ${seconds(Math.max(...plain))})`);
    console.log(`ratio staged / plain: ${ratio.toFixed(2)} (goal ≤ ${GOAL}: ${ratio <= GOAL ? 'met' : 'NOT met'})`);
    console.log(`load average during the run: ${loadavg().map((value) => value.toFixed(1)).join(' / ')} (1/5/15 min) on ${availableParallelism()} cores`);
    return 0;
  } finally {
    await browser.close();
    await world.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
