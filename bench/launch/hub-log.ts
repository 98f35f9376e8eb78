/**
 * Where a cold spawn's time goes, from the hub's own log (the single-user server logs to the hub's
 * output): the hub spawning the process → the server listening (Python start-up and imports: the
 * facility software's own cost) → the hub noticing it (JupyterHub polls the new server with a jittered
 * exponential backoff, 0.2 s × 2ⁿ, in jupyterhub/utils.py wait_for_http_server).
 */
const STAMP = /^\[[A-Z] (\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}) /;

function stampOf(line: string): number | undefined {
  const match = STAMP.exec(line);
  return match ? Date.parse(match[1]!.replace(' ', 'T')) : undefined;
}

export type SpawnTimes = { startup?: number; noticed?: number; hubTotal?: number };

/** Reads the part of the hub's log written during one cold launch. */
export function spawnTimes(log: string): SpawnTimes {
  let spawning: number | undefined;
  let listening: number | undefined;
  let ready: number | undefined;
  let hubTotal: number | undefined;
  for (const line of log.split('\n')) {
    const at = stampOf(line);
    if (at === undefined) continue;
    if (spawning === undefined && / Spawning .*jupyterhub-singleuser/.test(line)) spawning = at;
    else if (listening === undefined && /is running at:?/.test(line)) listening = at;
    else if (ready === undefined) {
      const took = / took ([\d.]+) seconds to start/.exec(line);
      if (took) {
        ready = at;
        hubTotal = Number(took[1]) * 1000;
      }
    }
  }
  return {
    startup: spawning !== undefined && listening !== undefined ? listening - spawning : undefined,
    noticed: listening !== undefined && ready !== undefined ? ready - listening : undefined,
    hubTotal,
  };
}
