import { InvalidRequest, parseLoopbackRedirect } from '@gatehouse/protocol';
import type { Client } from '@gatehouse/persistence';
import type { AuthorizeDraft } from '../authorization-request.js';

/**
 * Exact string comparison (OAuth 2.1 §2.3.1, RFC 9700 §2.1). Only a native client's
 * loopback redirect may use any port (RFC 8252 §7.3). Without redirect_uri, a
 * client with exactly one registered URI uses it.
 */
export function checkRedirectUri(draft: AuthorizeDraft): void {
  const client = draft.client as Client;
  const requested = draft.params['redirect_uri'];
  if (requested === undefined) {
    // OIDC Core §3.1.2.1: an OpenID request must name its redirect_uri; plain OAuth 2.1 may omit it.
    const openid = (draft.params['scope'] ?? '').split(' ').includes('openid');
    const only = client.redirectUris.length === 1 ? client.redirectUris[0] : undefined;
    if (!openid && only && (!only.startsWith('http:') || parseLoopbackRedirect(only) !== null)) {
      draft.redirectUri = only;
      return;
    }
    throw new InvalidRequest({ hint: 'redirect_uri is required' });
  }
  // A URI registered before loopback hosts were compared literally (127.1, 0x7f.0.0.1) is refused too.
  if (requested.startsWith('http:') && parseLoopbackRedirect(requested) === null) {
    throw new InvalidRequest({ hint: 'an http redirect_uri must name 127.0.0.1 or [::1] literally' });
  }
  if (
    client.redirectUris.includes(requested) ||
    (client.applicationType === 'native' && matchesLoopbackAnyPort(requested, client.redirectUris))
  ) {
    draft.redirectUri = requested;
    return;
  }
  throw new InvalidRequest({ hint: 'redirect_uri is not registered for this client' });
}

/** RFC 8252 §7.3: the same loopback host and the same path and query, character for character; any port. */
function matchesLoopbackAnyPort(requested: string, registered: readonly string[]): boolean {
  const candidate = parseLoopbackRedirect(requested);
  if (!candidate) return false;
  return registered.some((uri) => {
    const allowed = parseLoopbackRedirect(uri);
    return allowed !== null && allowed.host === candidate.host && allowed.path === candidate.path;
  });
}
