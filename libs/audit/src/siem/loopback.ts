import { isIPv4 } from 'node:net';

/**
 * Plain http is refused for SIEM sinks except to this machine (tests, a local forwarder): these
 * names cannot leave the host. Compared on the URL's hostname, so `127.0.0.1.evil.example` is not loopback.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host === '[::1]' || host === '::1') return true;
  return isIPv4(host) && host.startsWith('127.');
}
