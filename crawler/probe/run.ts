/**
 * The facility probe over facilities.yaml: every facility checked (a few at a time, p-limit), each check
 * merged with the last known facts of the previous facility-status.json, the file written sorted by id and
 * checked against the contract. A previous file that is broken is named and replaced (it only holds
 * what the next check would learn again, except the last known facts, which are then lost).
 */
import path from 'node:path';
import pLimit from 'p-limit';
import { FACILITY_STATUS_FILE, FacilityStatus, FacilityStatusFile, SCHEMA_VERSION, type Facility } from '../../catalog/contract/index.js';
import type { Resolve } from '../../catalog/net/public-lookup.js';
import { loadFacilities } from '../../catalog/validate/facilities.js';
import { readIfExists, stableJson, writeAtomic } from '../crawl/files.js';
import { keepLastKnown, probeFacility, type Get } from './facility.js';
import { DEFAULT_PROBE_LIMITS, probeGet, type ProbeLimits } from './http.js';

export type ProbeOptions = {
  facilities: string;
  /** Catalog folder: facility-status.json is read from and written to it. */
  out: string;
  limits?: ProbeLimits;
  /** Facilities checked at once (default 4). */
  concurrency?: number;
  now?: () => Date;
  log?: (line: string) => void;
  /** Name resolution (default the system's; tests give a table). */
  resolve?: Resolve;
};

/** exitCode 0: written; 1: nothing answered, nothing written; 2: the facilities file is invalid. */
export type ProbeResult = { exitCode: number; statuses: FacilityStatus[]; file: string };

/** The previous file's statuses by id; a broken file is reported and treated as absent. */
export async function readStatuses(file: string, log: (line: string) => void = () => {}): Promise<Map<string, FacilityStatus>> {
  const bytes = await readIfExists(file);
  if (!bytes) return new Map();
  let parsed;
  try {
    parsed = FacilityStatusFile.safeParse(JSON.parse(bytes.toString('utf8')));
  } catch (error) {
    log(`probe: ${file}: not valid JSON (${(error as Error).message}); starting afresh`);
    return new Map();
  }
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    log(`probe: ${file}: ${first.path.join('.')}: ${first.message}; starting afresh`);
    return new Map();
  }
  return new Map(parsed.data.items.map((item) => [item.id, item]));
}

function getFor(facility: Facility, limits: ProbeLimits, options: ProbeOptions): Get {
  return (url, { followRedirects }) => probeGet(url, { allowPrivate: facility.privateNetwork === true, limits, followRedirects, resolve: options.resolve });
}

export async function runProbe(options: ProbeOptions): Promise<ProbeResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const file = path.join(options.out, FACILITY_STATUS_FILE);
  const loaded = await loadFacilities(options.facilities);
  if (loaded.problems.length > 0) {
    for (const problem of loaded.problems) log(problem.text);
    log(`probe: ${options.facilities} does not validate: nothing probed, ${FACILITY_STATUS_FILE} unchanged`);
    return { exitCode: 2, statuses: [], file };
  }
  const previous = await readStatuses(file, log);
  const limit = pLimit(options.concurrency ?? 4);
  const limits = options.limits ?? DEFAULT_PROBE_LIMITS;
  const statuses = await Promise.all(
    loaded.facilities.map((facility) =>
      limit(async () => {
        const status = keepLastKnown(await probeFacility(facility, getFor(facility, limits, options), options.now), previous.get(facility.id));
        const why = status.checks.filter((check) => !check.ok).map((check) => `${check.endpoint}: ${check.reason}`);
        log(`  ${facility.id}: ${status.state}${status.version ? ` (version ${status.version})` : ''}${why.length ? ` — ${why.join('; ')}` : ''}`);
        return FacilityStatus.parse(status);
      }),
    ),
  );
  statuses.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  // Every facility silent at once says more about this machine's network (no DNS, a firewall) than about
  // the facilities: the file keeps the last real observations instead of declaring everything down.
  if (statuses.length > 1 && statuses.every((status) => status.state === 'down')) {
    log(`probe: none of the ${statuses.length} facilities answered; more likely this machine's network than every facility at once: ${FACILITY_STATUS_FILE} unchanged`);
    return { exitCode: 1, statuses, file };
  }
  const content = FacilityStatusFile.parse({ schemaVersion: SCHEMA_VERSION, kind: 'facility-status', items: statuses });
  await writeAtomic(file, stableJson(content));
  const count = (state: string) => statuses.filter((status) => status.state === state).length;
  log(`probe: ${statuses.length} facilities: ${count('up')} up, ${count('degraded')} degraded, ${count('down')} down → ${file}`);
  return { exitCode: 0, statuses, file };
}
