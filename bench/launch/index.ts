/**
 * bench/launch: time from clicking Launch on the workflow page to the notebook's first cell visible,
 * on a real local JupyterHub. Goal (issue #6): ≤ 3 s on this machine.
 *
 * Two figures, each with a per-phase breakdown (bench/launch/phases.ts) and medians:
 * - COLD: the user is signed in but their server is not running, so the time includes the spawn, the
 *   nbgitpuller clone and the notebook page. Each run uses a new user (cold server, empty home).
 * - WARM: the same user's server is already running but the workflow is not yet pulled (its clone
 *   folder is removed), in a fresh browser context (no browser cache): clone + notebook page only.
 * Baseline measured in the same run (the machine is shared, so absolute times move with its load):
 * reopening the same notebook directly on the running server.
 *
 * LAUNCH_BENCH_FACILITY=plain|environment|spawner: the hub without (or with only part of) the facility
 * settings for fast launches in test/support/jupyterhub.ts; default all.
 * LAUNCH_BENCH_RUNS (default 5) runs after one unmeasured warm-up; LAUNCH_BENCH_TRACE=1 prints main-frame
 * navigations and slow requests, =all also every document/event-stream response with its time.
 */
import { rm } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../test/support/browser.js';
import { requireJupyterHub } from '../../test/support/jupyterhub.js';
import { REPO, chooseOnWorkflowPage, signInOnly, startLaunchWorld, waitForNotebook, type LaunchWorld } from '../../test/launch/e2e/world.js';
import { spawnTimes, type SpawnTimes } from './hub-log.js';
import { median, seconds } from '../stats.js';
import { marksLine, phaseDurations, phaseMedians, recordPhases, type Marks } from './phases.js';

const GOAL_MS = 3_000;
const RUNS = Number(process.env.LAUNCH_BENCH_RUNS ?? 5);
const TRACE = process.env.LAUNCH_BENCH_TRACE;
/**
 * LAUNCH_BENCH_FACILITY: `plain` runs the hub without the facility settings for fast launches
 * (test/support/jupyterhub.ts), `environment` or `spawner` with only that part; default: all of them.
 */
const FACILITY = process.env.LAUNCH_BENCH_FACILITY ?? 'all';
const FAST_LAUNCH = { environment: FACILITY === 'all' || FACILITY === 'environment', spawner: FACILITY === 'all' || FACILITY === 'spawner' };

function trace(page: Page, started: () => number): void {
  const at = () => `+${((performance.now() - started()) / 1000).toFixed(2)} s`;
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) console.log(`  ${at()} ${frame.url().slice(0, 120)}`);
  });
  page.on('requestfinished', (request) => {
    const timing = request.timing();
    if (timing.responseEnd > 500) console.log(`  slow request ${Math.round(timing.responseEnd)} ms ${request.url().slice(0, 120)}`);
  });
  if (TRACE === 'all') {
    page.on('response', (response) => {
      const type = response.request().resourceType();
      if (response.request().frame() === page.mainFrame() || type === 'eventsource' || type === 'document')
        console.log(`    ${at()} ${response.status()} ${type} ${response.url().slice(0, 150)}`);
    });
  }
  page.on('requestfailed', (request) => console.log(`  failed ${request.url().slice(0, 120)} ${request.failure()?.errorText}`));
}

type Launch = { elapsed: number; marks: Marks; page: Page; spawn: SpawnTimes };

/** Signs `user` in (new browser context), clicks Launch and waits for the first cell. */
async function launchOnce(browser: Browser, world: LaunchWorld, user: string): Promise<Launch & { close: () => Promise<void> }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('dialog', (dialog) => void dialog.accept());
  await signInOnly(page, world, user);
  const launch = await chooseOnWorkflowPage(page, world);
  let started = 0;
  if (TRACE) trace(page, () => started);
  const recorder = recordPhases(page, () => started);
  const logFrom = world.hub.log().length;
  started = performance.now();
  await launch.click();
  await waitForNotebook(page, 1, 30_000);
  const elapsed = performance.now() - started;
  recorder.stop();
  recorder.marks.firstCell = elapsed;
  return { elapsed, marks: recorder.marks, page, spawn: spawnTimes(world.hub.log().slice(logFrom)), close: () => context.close() };
}

function summary(name: string, times: number[], runs: Marks[], baseline: number): void {
  const middle = median(times);
  console.log(`\nlaunch → first cell visible, ${name}: median ${seconds(middle)} over ${times.length} runs (min ${seconds(Math.min(...times))}, max ${seconds(Math.max(...times))})`);
  console.log(`  ratio to the 3 s goal: ${(middle / GOAL_MS).toFixed(2)} (≤ 1.00 meets the goal); launch / direct open = ${(middle / baseline).toFixed(2)}`);
  console.log(`  phases (median over runs):`);
  for (const line of phaseMedians(runs)) console.log(`  ${line}`);
}

async function main(): Promise<number> {
  const suite = 'bench/launch';
  if (!['all', 'plain', 'environment', 'spawner'].includes(FACILITY)) {
    console.error(`LAUNCH_BENCH_FACILITY must be all, plain, environment or spawner (got ${JSON.stringify(FACILITY)})`);
    return 2;
  }
  if (!requireJupyterHub(suite).ok) return 1;
  const browser = await launchChromium(suite);
  if (!browser) return 1;
  console.log(`facility settings for fast launches (LAUNCH_BENCH_FACILITY=${FACILITY}): environment ${FAST_LAUNCH.environment ? 'on' : 'off'}, spawner ${FAST_LAUNCH.spawner ? 'on' : 'off'}`);
  const world = await startLaunchWorld({ hub: { fastLaunch: FAST_LAUNCH } }).catch(async (error: unknown) => {
    await browser.close();
    throw error;
  });
  try {
    const cold: number[] = [];
    const coldMarks: Marks[] = [];
    const warm: number[] = [];
    const warmMarks: Marks[] = [];
    const direct: number[] = [];
    const spawns: SpawnTimes[] = [];
    // One unmeasured warm-up: the first spawn pays Python's cold imports from disk.
    for (let run = 0; run <= RUNS; run += 1) {
      const user = `bench-${run}`;
      if (TRACE) console.log(`run ${run} cold:`);
      const first = await launchOnce(browser, world, user);
      // Baseline: the same notebook opened directly on the now-running server.
      const notebookUrl = first.page.url();
      const reopened = performance.now();
      await first.page.goto(notebookUrl);
      await waitForNotebook(first.page, 1, 30_000);
      const baseline = performance.now() - reopened;
      await first.close();

      // Warm: server running, workflow not pulled yet, no browser cache.
      await rm(path.join(world.hub.homeOf(user), REPO), { recursive: true, force: true });
      if (TRACE) console.log(`run ${run} warm:`);
      const second = await launchOnce(browser, world, user);
      await second.close();

      const line = (launch: Launch) => `${seconds(launch.elapsed)}  [${marksLine(launch.marks)}]`;
      if (run === 0) {
        console.log(`warm-up (not counted): cold ${line(first)}; warm ${line(second)}`);
        continue;
      }
      cold.push(first.elapsed);
      coldMarks.push(first.marks);
      warm.push(second.elapsed);
      warmMarks.push(second.marks);
      direct.push(baseline);
      spawns.push(first.spawn);
      console.log(`run ${run}: cold ${line(first)}`);
      console.log(`       phases: ${phaseDurations(first.marks).map(([label, ms]) => `${label.split(' → ')[1]} ${seconds(ms)}`).join(', ')}`);
      const ms = (value: number | undefined) => (value === undefined ? 'n/a' : seconds(value));
      console.log(`       hub log: process spawned → server listening ${ms(first.spawn.startup)}, listening → hub noticed ${ms(first.spawn.noticed)} (hub: took ${ms(first.spawn.hubTotal)} to start)`);
      console.log(`       warm ${line(second)}`);
      console.log(`       direct open of the notebook: ${seconds(baseline)}`);
    }
    const baseline = median(direct);
    summary('COLD server (not running at the click)', cold, coldMarks, baseline);
    const known = (key: keyof SpawnTimes) => spawns.map((spawn) => spawn[key]).filter((value): value is number => value !== undefined);
    if (known('startup').length > 0)
      console.log(`  hub log: process spawned → server listening median ${seconds(median(known('startup')))}; listening → hub noticed median ${seconds(median(known('noticed')))}; hub's own spawn total median ${seconds(median(known('hubTotal')))}`);
    summary('WARM server (running, workflow not yet pulled)', warm, warmMarks, baseline);
    console.log(`\nbaseline, same run: opening the notebook directly on a running server: median ${seconds(baseline)}`);
    // The machine is shared: a spawn is Python start-up, so the figure scales with the load.
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
