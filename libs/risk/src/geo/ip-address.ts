import { isIPv4, isIPv6 } from 'node:net';

export interface IpAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

const MAPPED_IPV4 = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/;

/**
 * Parses a textual IP address into a canonical form, or null when it is not one.
 * IPv4-mapped IPv6 addresses (`::ffff:192.0.2.1`, what a dual-stack socket reports for
 * an IPv4 peer) become the IPv4 address they carry, so they are classified and looked up
 * as IPv4. A zone id (`fe80::1%eth0`) is dropped.
 */
export function parseIpAddress(input: string): IpAddress | null {
  const text = input.trim();
  if (isIPv4(text)) return { address: text, family: 4 };
  const withoutZone = text.split('%', 1)[0] ?? '';
  if (!isIPv6(withoutZone)) return null;
  // The WHATWG URL parser canonicalises IPv6 (RFC 5952: lower case, longest zero run compressed).
  const canonical = new URL(`http://[${withoutZone}]`).hostname.slice(1, -1);
  const mapped = MAPPED_IPV4.exec(canonical);
  if (mapped) {
    const high = parseInt(mapped[1] ?? '0', 16);
    const low = parseInt(mapped[2] ?? '0', 16);
    return { address: [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.'), family: 4 };
  }
  return { address: canonical, family: 6 };
}
