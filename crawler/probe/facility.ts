/**
 * What one facility's answers mean: which endpoints a facility of its type is asked (JupyterHub `GET
 * {hub}/hub/api`; BinderHub `GET {binder}/versions` and `/health`; a staging service `GET {staging}/info`;
 * any other facility its own page), how each answer is read (garbage is a failed check with a reason, never an
 * exception), and the state they add up to. The reading is pure; the GET is passed in.
 */
import { facilityServiceBase, type Facility, type FacilityState, type FacilityStatus, type ProbeCheck, type ProbeEndpoint, type ProbedKernel } from '../../catalog/contract/index.js';
import type { ProbeAnswer } from './http.js';

export type Get = (url: string, options: { followRedirects: boolean }) => Promise<ProbeAnswer>;

/** What one endpoint taught: the check, and the facts it read. */
type Reading = { check: ProbeCheck; version?: string; kernels?: ProbedKernel[]; stagingVersion?: string; reached: boolean };

const VERSION = /^[A-Za-z0-9][A-Za-z0-9.+_-]{0,99}$/;

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/** The URLs a facility is asked, by endpoint, in a fixed order. */
export function probeTargets(facility: Pick<Facility, 'type' | 'url' | 'staging'>): Array<{ endpoint: ProbeEndpoint; url: string }> {
  const targets: Array<{ endpoint: ProbeEndpoint; url: string }> = [];
  if (facility.type === 'jupyterhub') targets.push({ endpoint: 'hub-api', url: new URL('hub/api', facilityServiceBase(new URL(facility.url), true)).href });
  else if (facility.type === 'binderhub') {
    const base = facilityServiceBase(new URL(facility.url), false);
    targets.push({ endpoint: 'binder-versions', url: new URL('versions', base).href }, { endpoint: 'binder-health', url: new URL('health', base).href });
  } else targets.push({ endpoint: 'page', url: facility.url });
  if (facility.staging) targets.push({ endpoint: 'staging-info', url: new URL('info', withSlash(facility.staging)).href });
  return targets;
}

function parseJsonObject(body: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(body);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function version(value: unknown): string | undefined {
  return typeof value === 'string' && VERSION.test(value) ? value : undefined;
}

/** Kernels from a staging service's info (`kernels: {seenAt, specs: [{name, displayName, language}]}` or null). */
function kernelsOf(value: unknown): ProbedKernel[] | undefined {
  const specs = (value as { specs?: unknown } | null)?.specs;
  if (!Array.isArray(specs)) return undefined;
  const kernels = new Map<string, ProbedKernel>();
  for (const spec of specs.slice(0, 200)) {
    const name = (spec as { name?: unknown })?.name;
    if (typeof name !== 'string' || !/^[A-Za-z0-9._+-]{1,200}$/.test(name)) continue;
    const { displayName, language } = spec as { displayName?: unknown; language?: unknown };
    kernels.set(name, {
      name,
      ...(typeof displayName === 'string' && displayName.trim() ? { displayName: displayName.trim().slice(0, 200) } : {}),
      ...(typeof language === 'string' && /^[A-Za-z0-9+#._-]{1,100}$/.test(language) ? { language: language.toLowerCase() } : {}),
    });
  }
  return [...kernels.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Reads one answer as its endpoint expects. */
export function readAnswer(endpoint: ProbeEndpoint, answer: ProbeAnswer): Reading {
  if (!answer.answered) return { check: { endpoint, ok: false, reason: answer.reason }, reached: false };
  const base = { endpoint, status: answer.status, latencyMs: answer.latencyMs };
  const fail = (reason: string): Reading => ({ check: { ...base, ok: false, reason: reason.slice(0, 300) }, reached: true });
  if (answer.body === null) return fail(answer.reason);
  if (endpoint === 'page') return answer.status < 400 ? { check: { ...base, ok: true }, reached: true } : fail(`answered HTTP ${answer.status}`);
  const json = parseJsonObject(answer.body);
  // BinderHub's /health answers 503 with its JSON when a dependency is failing: read it before judging the status.
  if (endpoint === 'binder-health' && json && typeof json.ok === 'boolean') {
    if (json.ok) return { check: { ...base, ok: true }, reached: true };
    const failing = Array.isArray(json.checks)
      ? json.checks.flatMap((item) => (item && typeof item === 'object' && (item as { ok?: unknown }).ok === false && typeof (item as { service?: unknown }).service === 'string' ? [(item as { service: string }).service.slice(0, 60)] : []))
      : [];
    return fail(`health check failing${failing.length ? `: ${failing.slice(0, 5).join(', ')}` : ''}`);
  }
  if (answer.status < 200 || answer.status >= 300) return fail(`answered HTTP ${answer.status}`);
  if (!json) return fail(`answered HTTP ${answer.status} but not with a JSON object${answer.contentType ? ` (${answer.contentType.slice(0, 60)})` : ''}`);
  switch (endpoint) {
    case 'hub-api': {
      const found = version(json.version);
      return found ? { check: { ...base, ok: true }, version: found, reached: true } : fail('the hub API gave no version');
    }
    case 'binder-versions': {
      const found = version(json.binderhub);
      return found ? { check: { ...base, ok: true }, version: found, reached: true } : fail('BinderHub /versions gave no binderhub version');
    }
    case 'binder-health':
      return fail('BinderHub /health did not say ok');
    case 'staging-info': {
      if (json.service !== 'ida-catalog stager') return fail('not an ida-catalog staging service');
      const kernels = kernelsOf(json.kernels);
      return { check: { ...base, ok: true }, stagingVersion: version(json.version), ...(kernels ? { kernels } : {}), reached: true };
    }
  }
}

/**
 * The state the checks add up to: down when the facility's main endpoint (its hub API, BinderHub, page) gave
 * no answer at all; up when every check passed; degraded otherwise (it answers, but not everything is right).
 */
export function stateOf(readings: readonly Reading[]): FacilityState {
  const main = readings.filter((reading) => reading.check.endpoint !== 'staging-info');
  if (main.length > 0 && main.every((reading) => !reading.reached)) return 'down';
  return readings.every((reading) => reading.check.ok) ? 'up' : 'degraded';
}

/** Asks every endpoint of one facility (one after another: a facility is never asked twice at once). */
export async function probeFacility(facility: Facility, get: Get, now: () => Date = () => new Date()): Promise<FacilityStatus> {
  const checkedAt = now().toISOString();
  const readings: Reading[] = [];
  for (const target of probeTargets(facility)) {
    readings.push(readAnswer(target.endpoint, await get(target.url, { followRedirects: target.endpoint !== 'page' })));
  }
  const state = stateOf(readings);
  const latencies = readings.flatMap((reading) => (reading.check.latencyMs === undefined ? [] : [reading.check.latencyMs]));
  const version = readings.find((reading) => reading.version)?.version;
  const kernels = readings.find((reading) => reading.kernels)?.kernels;
  const stagingVersion = readings.find((reading) => reading.stagingVersion)?.stagingVersion;
  return {
    id: facility.id,
    state,
    checkedAt,
    ...(latencies.length ? { latencyMs: Math.max(...latencies) } : {}),
    ...(version ? { version } : {}),
    ...(kernels ? { kernels } : {}),
    ...(stagingVersion ? { stagingVersion } : {}),
    ...(state === 'up' ? { lastUpAt: checkedAt } : {}),
    checks: readings.map((reading) => reading.check),
  };
}

/**
 * This check with the last known facts of the previous one kept: a version or kernels it could not read
 * this time, and the last time it was up. A facility that is no longer listed is dropped.
 */
export function keepLastKnown(current: FacilityStatus, previous: FacilityStatus | undefined): FacilityStatus {
  if (!previous) return current;
  return {
    ...current,
    ...(current.version === undefined && previous.version !== undefined ? { version: previous.version } : {}),
    ...(current.kernels === undefined && previous.kernels !== undefined ? { kernels: previous.kernels } : {}),
    ...(current.lastUpAt === undefined && previous.lastUpAt !== undefined ? { lastUpAt: previous.lastUpAt } : {}),
  };
}
