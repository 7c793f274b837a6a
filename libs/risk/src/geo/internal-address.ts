import { BlockList } from 'node:net';
import type { IpAddress } from './ip-address.js';

// Addresses that never reach a geo lookup: they name this host or a private network, so a
// location database has nothing to say about them (and an anomaly rule must not guess).
const INTERNAL = new BlockList();
INTERNAL.addSubnet('0.0.0.0', 8, 'ipv4'); // RFC 1122 §3.2.1.3: "this network", includes unspecified 0.0.0.0
INTERNAL.addSubnet('10.0.0.0', 8, 'ipv4'); // RFC 1918
INTERNAL.addSubnet('100.64.0.0', 10, 'ipv4'); // RFC 6598: carrier-grade NAT shared space
INTERNAL.addSubnet('127.0.0.0', 8, 'ipv4'); // loopback
INTERNAL.addSubnet('169.254.0.0', 16, 'ipv4'); // RFC 3927: link-local
INTERNAL.addSubnet('172.16.0.0', 12, 'ipv4'); // RFC 1918
INTERNAL.addSubnet('192.168.0.0', 16, 'ipv4'); // RFC 1918
INTERNAL.addAddress('::', 'ipv6'); // RFC 4291 §2.5.2: unspecified
INTERNAL.addAddress('::1', 'ipv6'); // RFC 4291 §2.5.3: loopback
INTERNAL.addSubnet('fc00::', 7, 'ipv6'); // RFC 4193: unique local addresses
INTERNAL.addSubnet('fe80::', 10, 'ipv6'); // RFC 4291 §2.5.6: link-local

/** Loopback, private, link-local, CGNAT and unspecified addresses. Expects a parsed address (IPv4-mapped already unwrapped). */
export function isInternalAddress(ip: IpAddress): boolean {
  return INTERNAL.check(ip.address, ip.family === 4 ? 'ipv4' : 'ipv6');
}
