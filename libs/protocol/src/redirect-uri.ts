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
    return isLoopbackHost(parsed.hostname) ? null : 'must use https (http is allowed only on 127.0.0.1 or [::1])';
  }
  if (applicationType === 'native' && isPrivateUseScheme(parsed.protocol)) return null;
  return applicationType === 'native'
    ? 'must use https, http on a loopback address, or a private-use scheme such as com.example.app:/callback'
    : 'must use https (or http on 127.0.0.1 / [::1])';
}

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
