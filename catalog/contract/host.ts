/**
 * Where a host is on the network, as far as its name alone tells: the one rule behind every "no request to
 * loopback/private addresses unless stated" in the project (facility URLs, cart data sets, the staging
 * service's allowed hosts, the facility probe). Pure and browser-safe: the site's cart uses it too.
 *
 * It judges the hostname as written (after WHATWG URL parsing, which already turns `0x7f.1` or
 * `2130706433` into `127.0.0.1`); a public name that resolves to a private address is a matter for the
 * code that connects, which must check the address it actually reaches.
 */
import ipaddr from 'ipaddr.js';

export type HostClass = 'public' | 'loopback' | 'private' | 'link-local' | 'reserved';

/** Human words for each class, for error messages. */
export const HOST_CLASS_LABELS: Record<Exclude<HostClass, 'public'>, string> = {
  loopback: 'a loopback address (this machine)',
  private: 'a private-network address',
  'link-local': 'a link-local address',
  reserved: 'a reserved or non-routable address',
};

const IP_RANGES: Record<string, HostClass> = {
  loopback: 'loopback',
  private: 'private',
  uniqueLocal: 'private',
  carrierGradeNat: 'private',
  linkLocal: 'link-local',
  unspecified: 'reserved',
  broadcast: 'reserved',
  multicast: 'reserved',
  reserved: 'reserved',
  benchmarking: 'reserved',
  amt: 'reserved',
  as112: 'reserved',
  as112v6: 'reserved',
  deprecated: 'reserved',
  orchid2: 'reserved',
  droneRemoteIdProtocolEntityTags: 'reserved',
  teredo: 'reserved',
  '6to4': 'reserved',
  rfc6145: 'reserved',
  rfc6052: 'reserved',
  discard: 'reserved',
};

// Names that never resolve on the public internet (RFC 6761, 6762, 8375 and common intranet suffixes).
const LOOPBACK_NAMES = /(?:^|\.)localhost$/;
const PRIVATE_SUFFIXES = /\.(?:local|localdomain|internal|intranet|lan|home|corp|private|home\.arpa)$/;
const RESERVED_SUFFIXES = /(?:^|\.)(?:test|invalid|example)$/;

function ipClass(text: string): HostClass | null {
  if (!ipaddr.isValid(text)) return null;
  let address = ipaddr.parse(text);
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()) address = (address as ipaddr.IPv6).toIPv4Address();
  return IP_RANGES[address.range()] ?? 'public';
}

/**
 * The class of a URL's `hostname` (as `new URL(…).hostname` gives it: lower case, IPv6 in brackets).
 * Single-label names (`intranet`, `jupyter`) count as private: only a local resolver knows them.
 */
export function classifyHost(hostname: string): HostClass {
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  if (host === '') return 'reserved';
  const ip = ipClass(host);
  if (ip) return ip;
  // Leftover numeric forms WHATWG did not normalise (it always does for http(s)); never a public name.
  if (/^[0-9.]+$/.test(host) || host.includes(':')) return 'reserved';
  if (LOOPBACK_NAMES.test(host)) return 'loopback';
  if (RESERVED_SUFFIXES.test(host)) return 'reserved';
  if (!host.includes('.') || PRIVATE_SUFFIXES.test(host)) return 'private';
  return 'public';
}

/** True when a host is reachable from the public internet by its name alone (not loopback, private, link-local or reserved). */
export function isPublicHost(hostname: string): boolean {
  return classifyHost(hostname) === 'public';
}
