import { isPrivateHost } from '../outbound/outbound-guard.js';
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
 * not aim it at our own network, so it must be https on a host the outbound guard lets through.
 */
export function isPublicHttpsUri(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return url.protocol === 'https:' && !value.includes('#') && !url.username && !url.password && !isPrivateHost(url.hostname);
}
