import { isIP } from 'node:net';

export type ApplicationType = 'web' | 'native';

/** Null when acceptable, else why not. RFC 9700 §2.1, RFC 8252 §7, OAuth 2.1 §2.3.1. */
export function redirectUriProblem(uri: string, applicationType: ApplicationType): string | null {
  if (uri.length > 2000) return 'is longer than 2000 characters';
  if (/[\s*]/.test(uri)) return 'must not contain whitespace or wildcards';
  let parsed: URL;
  try {
    parsed = new URL(uri);
  } catch {
    return 'must be an absolute URI';
  }
  if (uri.includes('#')) return 'must not contain a fragment';
  if (parsed.username || parsed.password) return 'must not contain user information';
  if (parsed.protocol === 'https:') return parsed.hostname ? null : 'must name a host';
  if (parsed.protocol === 'http:') {
    if (parseLoopbackRedirect(uri) !== null) return null;
    return isLoopbackHost(parsed.hostname)
      ? 'must name the loopback host literally as 127.0.0.1 or [::1], with a port from 1 to 65535'
      : 'must use https (http is allowed only on 127.0.0.1 or [::1])';
  }
  if (applicationType === 'native' && isPrivateUseScheme(parsed.protocol)) return null;
  return applicationType === 'native'
    ? 'must use https, http on a loopback address, or a private-use scheme such as com.example.app:/callback'
    : 'must use https (or http on 127.0.0.1 / [::1])';
}

/**
 * An http loopback redirect URI as its text reads (RFC 8252 §7.3, OAuth 2.1 §8.4.2): the host is
 * literally 127.0.0.1 or [::1], never a spelling the URL parser would turn into one (127.1,
 * 0x7f.0.0.1, 2130706433, [0:0::1]); the port, if any, is 1 to 65535; `path` is the rest of the
 * URI exactly as written (path and query), for exact comparison. Null for anything else.
 */
export function parseLoopbackRedirect(uri: string): { readonly host: string; readonly port: number | null; readonly path: string } | null {
  const match = LOOPBACK_REDIRECT.exec(uri);
  if (!match?.[1]) return null;
  const port = match[2] === undefined ? null : Number(match[2]);
  if (port !== null && (port < 1 || port > 65_535)) return null;
  return { host: match[1], port, path: match[3] ?? '' };
}

const LOOPBACK_REDIRECT = /^http:\/\/(127\.0\.0\.1|\[::1\])(?::([1-9]\d{0,4}))?([/?][^#]*)?$/;

/** RFC 8252 §7.3 names loopback IP literals; "localhost" is discouraged (§8.3). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/** RFC 8252 §7.1: reverse-DNS private-use schemes, which contain a period. */
function isPrivateUseScheme(protocol: string): boolean {
  const scheme = protocol.slice(0, -1);
  return /^[a-z][a-z0-9+.-]*$/.test(scheme) && scheme.includes('.');
}
