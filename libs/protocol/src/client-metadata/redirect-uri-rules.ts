import { isIP } from 'node:net';
import { redirectUriProblem, type ApplicationType } from '../redirect-uri.js';

/**
 * Issue 5's redirect URI rules (RFC 9700 §2.1, RFC 8252 §7, OAuth 2.1 §2.3.1): absolute, no
 * fragment, no wildcards; https, or http on a loopback IP literal, or a private-use scheme for
 * native clients. A tenant may refuse loopback http for web clients (production tenants);
 * native clients keep it, as RFC 8252 §7.3 needs it for apps on the device.
 */
export function redirectUriRuleProblem(uri: string, applicationType: ApplicationType, webLoopbackRedirects: boolean): string | null {
  const problem = redirectUriProblem(uri, applicationType);
  if (problem !== null) return problem;
  if (applicationType === 'web' && !webLoopbackRedirects && new URL(uri).protocol === 'http:') {
    return 'must use https: this tenant does not allow http loopback redirect URIs for web clients';
  }
  return null;
}

/**
 * The back-channel logout worker POSTs to this URI: a self-registered client (RFC 7591) must
 * not aim it at our own network, so it must be https on a public host.
 */
export function isPublicHttpsUri(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (
    url.protocol !== 'https:' ||
    value.includes('#') ||
    url.username ||
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host.endsWith('.internal')
  )
    return false;
  if (isIP(host) === 4) return !/^(0|10|127|169\.254|172\.(1[6-9]|2\d|3[01])|192\.168|100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7]))\./.test(host);
  if (isIP(host) === 6) return !/^(::1?$|f[cd]|fe[89ab]|::ffff:)/.test(host);
  return true;
}
