/**
 * The staging service's configuration (`ida-catalog stager --config FILE`, or IDA_STAGER_CONFIG): which data
 * hosts a facility lets its users stage from, whether the staging cell is run, and limits. Everything
 * hub-related comes from JupyterHub's service environment, not from here (except `hubUrl` on hubs older
 * than JupyterHub 4, which do not tell a service their public URL).
 *
 * allowHosts entries:
 * - `data.example.org` — that host, any port; `data.example.org:8443` — that host and port only;
 * - `*.example.org` — any subdomain (not example.org itself), public hosts only;
 * - IP addresses as URLs write them (`127.0.0.1`, `[::1]:8080`).
 * Loopback, private, link-local and reserved hosts are refused unless listed one by one: a wildcard never
 * matches them, and a wildcard over a private suffix (`*.internal`) is a configuration error.
 */
import { z } from 'zod';
import { WebUrl } from './common.js';
import { classifyHost, HOST_CLASS_LABELS } from './host.js';

/** A parsed allowHosts entry. */
export type HostPattern = { wildcard: boolean; host: string; port: string | null };

/** Parses one allowHosts entry, or returns the reason it is not one. */
export function parseHostPattern(entry: string): HostPattern | { error: string } {
  const wildcard = entry.startsWith('*.');
  const rest = wildcard ? entry.slice(2) : entry;
  if (rest === '' || /[/?#@\\\s*]/.test(rest)) {
    return { error: `"${entry}" is not a host: write a host name ("data.example.org"), host:port, or "*.example.org"` };
  }
  let url: URL;
  try {
    url = new URL(`http://${rest}`);
  } catch {
    return { error: `"${entry}" is not a host: write a host name ("data.example.org"), host:port, or "*.example.org"` };
  }
  // WHATWG drops the default port 80 for http; keep what was written.
  const written = /:(\d+)$/.exec(rest)?.[1] ?? null;
  const host = url.hostname;
  if (wildcard) {
    if (written) return { error: `"${entry}": a wildcard entry takes no port` };
    if (/^[0-9.]+$/.test(host) || host.startsWith('[')) return { error: `"${entry}": a wildcard takes a domain name, not an address` };
    const kind = classifyHost(`x.${host}`);
    if (kind !== 'public' || !host.includes('.')) {
      const covers = kind === 'public' ? 'a whole top-level domain' : HOST_CLASS_LABELS[kind];
      return { error: `"${entry}": a wildcard matches public hosts only, and this one would cover ${covers}; list such hosts one by one` };
    }
  }
  if (written !== null && (Number(written) < 1 || Number(written) > 65535)) return { error: `"${entry}": port ${written} is out of range` };
  return { wildcard, host, port: written === null ? null : String(Number(written)) };
}

const HostPatternText = z
  .string()
  .trim()
  .min(1)
  .max(260)
  .superRefine((value, ctx) => {
    const parsed = parseHostPattern(value);
    if ('error' in parsed) ctx.addIssue({ code: z.ZodIssueCode.custom, message: parsed.error });
  });

export const StagerLimits = z
  .object({
    maxDatasets: z.number().int().min(1).max(500).default(50).describe('Most data sets one link may carry.'),
    headTimeoutMs: z.number().int().min(100).max(30_000).default(3_000).describe('How long the confirmation page waits for each data set\'s size (HEAD).'),
    serverStartSeconds: z.number().int().min(5).max(1_800).default(300).describe('How long to wait for a user\'s server to start.'),
    pullSeconds: z.number().int().min(5).max(1_800).default(300).describe('How long nbgitpuller may take to pull the workflow.'),
    executeSeconds: z.number().int().min(5).max(7_200).default(600).describe('How long the staging cell may run when `execute` is on.'),
  })
  .strict();
export type StagerLimits = z.infer<typeof StagerLimits>;

export const StagerConfig = z
  .object({
    hubUrl: WebUrl.optional().describe(
      'The hub\'s public URL, as in facilities.yaml. Needed on JupyterHub < 4 (later hubs give JUPYTERHUB_PUBLIC_URL when `c.JupyterHub.public_url` is set). Launch links must point at it; the service reaches users\' servers through it.',
    ),
    allowHosts: z
      .array(HostPatternText)
      .max(1_000)
      .default([])
      .describe('Data hosts users may stage from: "host", "host:port" or "*.domain". Loopback/private/link-local hosts only when listed one by one.'),
    execute: z.boolean().default(false).describe('Run the staging cell after inserting it (so the data is there when the notebook opens).'),
    limits: StagerLimits.default({}),
  })
  .strict();
export type StagerConfig = z.infer<typeof StagerConfig>;

/** The staging link formats and data-set kinds a service answers (also what `GET {prefix}/info` reports). */
export const STAGING_FORMAT_VERSIONS = [1] as const;
