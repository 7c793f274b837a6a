import { lookup } from 'node:dns/promises';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * The one outbound guard: every URL the platform calls on someone's say-so (SIEM sinks,
 * back-channel logout URIs) must not reach loopback, private, link-local (cloud metadata) or
 * otherwise internal addresses unless the operator opts in (OUTBOUND_ALLOW_PRIVATE_TARGETS).
 * The literal check runs when the URL is set; the resolve-and-check runs at each call.
 */
const PRIVATE = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network" (RFC 791); 0.0.0.0 reaches the local host
  ['10.0.0.0', 8], // RFC 1918
  ['100.64.0.0', 10], // CGNAT, RFC 6598
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local: cloud metadata services
  ['172.16.0.0', 12], // RFC 1918
  ['192.168.0.0', 16], // RFC 1918
  ['198.18.0.0', 15], // benchmarking, RFC 2544: used inside data centres
  ['224.0.0.0', 4], // multicast: never a single web server
  ['240.0.0.0', 4], // reserved, and 255.255.255.255 broadcast
] as const)
  PRIVATE.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 96], // unspecified, loopback and IPv4-compatible ::a.b.c.d (RFC 4291 §2.5.5.1, deprecated)
  ['64:ff9b::', 96], // NAT64 (RFC 6052): reaches any IPv4 address, private ones included
  ['64:ff9b:1::', 48], // local-use NAT64 (RFC 8215)
  ['fc00::', 7], // unique local (RFC 4193)
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (RFC 3879, deprecated but still routed by some stacks)
  ['2001::', 32], // Teredo (RFC 4380): tunnels to an IPv4 address the guard cannot see
  ['2002::', 16], // 6to4 (RFC 3056): likewise
  ['ff00::', 8], // multicast
] as const)
  PRIVATE.addSubnet(network, prefix, 'ipv6');

/** A literal IP address (no brackets) the guard refuses; IPv4-mapped IPv6 (::ffff:a.b.c.d) is judged by its IPv4 address. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  // BlockList matches ::ffff:a.b.c.d against the IPv4 rules itself.
  if (family === 4) return PRIVATE.check(address, 'ipv4');
  if (family === 6) return PRIVATE.check(address, 'ipv6');
  return false;
}

/**
 * A URL host (as `new URL().hostname` gives it, brackets and all) the guard refuses without a
 * lookup: a private literal, or a name reserved for the local host or private use
 * (RFC 6761 `localhost`, `.internal` as in metadata.google.internal).
 */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || host === 'internal' || host.endsWith('.internal')) return true;
  return isPrivateAddress(host);
}

export type ResolveHost = (hostname: string) => Promise<readonly { address: string; family: number }[]>;

export interface OutboundGuardOptions {
  /** The operator's opt-in: loopback and private targets are allowed. */
  readonly allowPrivate?: boolean;
  /** DNS by default; tests inject names. */
  readonly resolve?: ResolveHost;
}

export type OutboundVerdict =
  | { readonly ok: true; readonly addresses: readonly { address: string; family: number }[] }
  | { readonly ok: false; readonly reason: 'private' | 'unresolvable' };

const systemResolve: ResolveHost = (hostname) => lookup(hostname, { all: true });

/**
 * Resolves the host and checks every address it resolves to: a public name that points inside
 * is refused like the private literal it hides. `unresolvable` is worth retrying; `private` is not.
 */
export async function checkOutboundHost(hostname: string, options: OutboundGuardOptions = {}): Promise<OutboundVerdict> {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (!options.allowPrivate && isPrivateHost(host)) return { ok: false, reason: 'private' };
  let addresses: readonly { address: string; family: number }[];
  try {
    addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await (options.resolve ?? systemResolve)(host);
  } catch {
    return { ok: false, reason: 'unresolvable' };
  }
  if (addresses.length === 0) return { ok: false, reason: 'unresolvable' };
  if (!options.allowPrivate && addresses.some(({ address }) => isPrivateAddress(address))) return { ok: false, reason: 'private' };
  return { ok: true, addresses };
}

/** The guard's verdict on a URL; a URL that does not parse is refused as private would be, without a lookup. */
export async function checkOutboundUrl(url: string, options: OutboundGuardOptions = {}): Promise<OutboundVerdict> {
  let hostname: string;
  try {
    hostname = new URL(url).hostname;
  } catch {
    return { ok: false, reason: 'private' };
  }
  return checkOutboundHost(hostname, options);
}

/** Raised through a guarded connection when the target resolves to an address the guard refuses. */
export class OutboundTargetRefused extends Error {
  constructor(readonly reason: 'private' | 'unresolvable') {
    super(reason === 'private' ? 'the target resolves to a private address' : 'the target does not resolve');
    this.name = 'OutboundTargetRefused';
  }
}

/**
 * A `lookup` for node:http/node:net that resolves through the guard, so the connection goes to
 * the very address that was checked (no second lookup a rebinding DNS server could answer
 * differently).
 */
export function guardedLookup(options: OutboundGuardOptions = {}): LookupFunction {
  return (hostname, lookupOptions, callback) => {
    checkOutboundHost(hostname, options).then(
      (verdict) => {
        if (!verdict.ok) return callback(new OutboundTargetRefused(verdict.reason), '', 0);
        const family: unknown = lookupOptions.family;
        const wanted = family === 4 || family === 'IPv4' ? 4 : family === 6 || family === 'IPv6' ? 6 : undefined;
        const addresses = verdict.addresses.filter(({ family }) => wanted === undefined || family === wanted);
        if (addresses.length === 0) return callback(new OutboundTargetRefused('unresolvable'), '', 0);
        if (lookupOptions.all) return (callback as unknown as (e: null, a: typeof addresses) => void)(null, addresses);
        return callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (error: unknown) => callback(error as NodeJS.ErrnoException, '', 0),
    );
  };
}
