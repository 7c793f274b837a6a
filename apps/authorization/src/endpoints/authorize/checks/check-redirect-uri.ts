import { InvalidRequest, isLoopbackHost } from '@gatehouse/protocol';
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
    if (!openid && client.redirectUris.length === 1 && client.redirectUris[0]) {
      draft.redirectUri = client.redirectUris[0];
      return;
    }
    throw new InvalidRequest({ hint: 'redirect_uri is required' });
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

function matchesLoopbackAnyPort(requested: string, registered: readonly string[]): boolean {
  const candidate = parseLoopback(requested);
  if (!candidate) return false;
  return registered.some((uri) => {
    const allowed = parseLoopback(uri);
    return allowed !== null && allowed.withoutPort === candidate.withoutPort;
  });
}

function parseLoopback(uri: string): { withoutPort: string } | null {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' || !isLoopbackHost(url.hostname) || url.username || url.password || url.hash) return null;
  return { withoutPort: `http://${url.hostname}${url.pathname}${url.search}` };
}
