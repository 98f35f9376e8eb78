/**
 * The connect-time half of the host rule (catalog/contract/host.ts judges a name as written): a `lookup` for
 * node:http(s) that refuses a name resolving to any loopback, private, link-local or reserved address, so a
 * public-looking name pointing at 127.0.0.1 is refused on the address actually connected to. Used by the
 * facility probe (crawler/probe/http.ts) and the staging service's size check (stager/head.ts).
 *
 * It lives in catalog/ because that is what the crawler and the stager both depend on (neither imports the
 * other), but outside catalog/contract/: it needs node:dns, and the contract is imported by the browser too.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { HOST_CLASS_LABELS, classifyHost } from '../contract/host.js';

/** How names are resolved (dns.lookup; tests give a fixed table). */
export type Resolve = (hostname: string, options: LookupAllOptions, callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

const systemResolve: Resolve = (hostname, options, callback) => dnsLookup(hostname, options, callback);

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A dns.lookup that fails with code `EPRIVATE` ("name resolves to 127.0.0.1, a loopback address (this
 * machine)") when any address of the name is not public; give it as `lookup` to http(s).request.
 */
export function publicOnlyLookup(resolve: Resolve = systemResolve): typeof dnsLookup {
  const lookup = (hostname: string, options: object, callback: LookupCallback): void =>
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      if (addresses.length === 0) return callback(Object.assign(new Error(`${hostname} resolves to no address`), { code: 'ENOTFOUND' }), []);
      for (const { address } of addresses) {
        const place = classifyHost(address);
        if (place !== 'public') return callback(Object.assign(new Error(`${hostname} resolves to ${address}, ${HOST_CLASS_LABELS[place]}`), { code: 'EPRIVATE' }), []);
      }
      if ((options as { all?: boolean }).all) return callback(null, addresses);
      return callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  return lookup as unknown as typeof dnsLookup;
}
