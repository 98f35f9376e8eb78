/**
 * catalog/facility-status.json: what the facility probe (`ida-catalog probe`) last saw of each facility —
 * up, degraded or down, the hub's version, the kernels its staging service reported — and when. Written by
 * the nightly beside the catalog; the site reads it at build time and says how old each check is.
 *
 * Last known facts survive a bad night: when a check cannot read a version or kernels (the facility is down,
 * or answers garbage), the previous file's values are kept and `lastUpAt` says when the facility was last
 * seen up, so one unreachable night never erases what was known.
 */
import { z } from 'zod';
import { Slug, Timestamp, Word } from './common.js';
import { catalogFile } from './envelope.js';

/** up: every check answered as expected; degraded: it answers, but not everything as expected; down: no answer. */
export const FacilityState = z.enum(['up', 'degraded', 'down']);
export type FacilityState = z.infer<typeof FacilityState>;

/** What a probe asked: the hub's API, a BinderHub's versions and health, a staging service's info, or the page itself. */
export const ProbeEndpoint = z.enum(['hub-api', 'binder-versions', 'binder-health', 'staging-info', 'page']);
export type ProbeEndpoint = z.infer<typeof ProbeEndpoint>;

export const ProbeCheck = z
  .object({
    endpoint: ProbeEndpoint,
    ok: z.boolean(),
    /** HTTP status of the last response, when there was one. */
    status: z.number().int().min(100).max(599).optional(),
    latencyMs: z.number().int().min(0).optional(),
    /** Why the check did not pass, in words for the facility page. */
    reason: z.string().min(1).max(300).optional(),
  })
  .strict();
export type ProbeCheck = z.infer<typeof ProbeCheck>;

/** A kernel as a staging service reported it (its user servers' kernelspecs). */
export const ProbedKernel = z
  .object({
    name: Word,
    displayName: z.string().max(200).optional(),
    language: z.string().max(100).optional(),
  })
  .strict();
export type ProbedKernel = z.infer<typeof ProbedKernel>;

export const FacilityStatus = z
  .object({
    id: Slug.describe('The facility id in facilities.yaml.'),
    state: FacilityState,
    checkedAt: Timestamp.describe('When this check ran (ISO 8601, UTC).'),
    /** The slowest answering check's time; absent when nothing answered. */
    latencyMs: z.number().int().min(0).optional(),
    version: z.string().min(1).max(100).optional().describe('JupyterHub or BinderHub version: from this check, or the last check that read one.'),
    kernels: z.array(ProbedKernel).max(200).optional().describe("Kernels the staging service reported, sorted by name: from this check, or the last check that read them."),
    /** The staging service's version (ida-catalog stager), when it answered. */
    stagingVersion: z.string().min(1).max(100).optional(),
    lastUpAt: Timestamp.optional().describe('The last check (this one or earlier) at which the facility was up.'),
    checks: z.array(ProbeCheck),
  })
  .strict();
export type FacilityStatus = z.infer<typeof FacilityStatus>;

export const FacilityStatusFile = catalogFile('facility-status', FacilityStatus);
export type FacilityStatusFile = z.infer<typeof FacilityStatusFile>;

/** The file's name inside the catalog directory. Optional: absent means no facility was checked yet. */
export const FACILITY_STATUS_FILE = 'facility-status.json';
