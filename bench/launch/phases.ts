/**
 * Phase marks of one launch, read from the browser's own network events (times since the click).
 * A launch on a JupyterHub with nbgitpuller goes: /hub/user-redirect/git-pull → (server not running)
 * /hub/spawn → /hub/spawn-pending page whose event stream reports the spawn → the reloaded page goes
 * through the hub's OAuth to /user/<name>/git-pull (nbgitpuller's status page) → that page's event
 * stream /git-pull/api runs the clone → redirect to the urlpath → the notebook page → first cell.
 * A mark that a launch did not pass through (no spawn on a running server) stays undefined.
 */
import type { Page, Request } from 'playwright-core';
import { median, seconds } from '../stats.js';

export const MARKS = ['spawnPending', 'serverReady', 'atServer', 'pullerPage', 'pullStart', 'pullDone', 'notebookHtml', 'firstCell'] as const;
export type Mark = (typeof MARKS)[number];
export type Marks = Partial<Record<Mark, number>>;

export const MARK_LABELS: Record<Mark, string> = {
  spawnPending: 'spawn-pending page',
  serverReady: 'server ready (progress done)',
  atServer: 'first request to the server',
  pullerPage: 'nbgitpuller page',
  pullStart: 'pull stream opened',
  pullDone: 'pull done',
  notebookHtml: 'notebook HTML',
  firstCell: 'first cell visible',
};

type Recorder = { marks: Marks; stop: () => void };

/** Starts recording marks relative to `started` (a performance.now() value). */
export function recordPhases(page: Page, started: () => number): Recorder {
  const marks: Marks = {};
  const now = () => performance.now() - started();
  const first = (mark: Mark) => {
    if (marks[mark] === undefined) marks[mark] = now();
  };
  const path = (request: Request) => {
    try {
      return new URL(request.url()).pathname;
    } catch {
      return '';
    }
  };
  const onResponse = (response: { request: () => Request; status: () => number }) => {
    const request = response.request();
    if (request.resourceType() !== 'document') return;
    const pathname = path(request);
    if (pathname.includes('/hub/spawn-pending/')) first('spawnPending');
    if (/\/user\/[^/]+\/git-pull$/.test(pathname) && response.status() === 200) first('pullerPage');
  };
  const onRequest = (request: Request) => {
    const pathname = path(request);
    if (request.resourceType() === 'eventsource' && /\/git-pull\/api$/.test(pathname)) first('pullStart');
    if (request.resourceType() !== 'document') return;
    if (/^\/user\/[^/]+\//.test(pathname)) first('atServer');
    // nbgitpuller's page sends the browser to the urlpath as soon as its stream reports the pull done.
    if (marks.pullStart !== undefined && !/\/git-pull$/.test(pathname)) first('pullDone');
  };
  const onStreamEnd = (request: Request) => {
    const pathname = path(request);
    if (request.resourceType() === 'eventsource' && /\/server\/progress$/.test(pathname)) first('serverReady');
    if (request.resourceType() === 'eventsource' && /\/git-pull\/api$/.test(pathname)) first('pullDone');
  };
  const onFinished = (request: Request) => {
    onStreamEnd(request);
    if (request.resourceType() === 'document' && /^\/user\/[^/]+\/notebooks\//.test(path(request))) first('notebookHtml');
  };
  page.on('response', onResponse);
  page.on('request', onRequest);
  page.on('requestfinished', onFinished);
  // An event stream the page leaves (a redirect after the last event) ends as a failed request.
  page.on('requestfailed', onStreamEnd);
  return {
    marks,
    stop: () => {
      page.off('response', onResponse);
      page.off('request', onRequest);
      page.off('requestfinished', onFinished);
      page.off('requestfailed', onStreamEnd);
    },
  };
}

/** Durations between consecutive marks that are present: [label, ms]. */
export function phaseDurations(marks: Marks): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  let previous: [string, number] = ['click', 0];
  for (const mark of MARKS) {
    const at = marks[mark];
    if (at === undefined) continue;
    out.push([`${previous[0]} → ${MARK_LABELS[mark]}`, at - previous[1]]);
    previous = [MARK_LABELS[mark], at];
  }
  return out;
}



/** One line of marks, e.g. "spawn-pending page +1.23 · … · first cell visible +5.80". */
export function marksLine(marks: Marks): string {
  return MARKS.filter((mark) => marks[mark] !== undefined)
    .map((mark) => `${MARK_LABELS[mark]} +${(marks[mark]! / 1000).toFixed(2)}`)
    .join(' · ');
}

/** Median of each phase over runs (only runs that passed through both marks), as printable lines. */
export function phaseMedians(runs: Marks[]): string[] {
  const lines: string[] = [];
  const byPhase = new Map<string, number[]>();
  for (const marks of runs)
    for (const [label, ms] of phaseDurations(marks)) {
      if (!byPhase.has(label)) byPhase.set(label, []);
      byPhase.get(label)!.push(ms);
    }
  for (const [label, values] of byPhase) lines.push(`  ${label}: median ${seconds(median(values))} (n=${values.length}, min ${seconds(Math.min(...values))}, max ${seconds(Math.max(...values))})`);
  for (const mark of MARKS) {
    const values = runs.map((marks) => marks[mark]).filter((value): value is number => value !== undefined);
    if (values.length > 0) lines.push(`  at ${MARK_LABELS[mark]}: median +${seconds(median(values))}`);
  }
  return lines;
}
