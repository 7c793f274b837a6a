import type { Client, Tenant } from '@gatehouse/persistence';
import { InvalidRequest } from '@gatehouse/protocol';
import { SIGNING_ALGORITHMS, verifyIdTokenHint, type IdTokenHint, type TenantKeyCache } from '@gatehouse/tokens';
import type { Params } from '../../http/request-params.js';
import type { ClientCache } from '../../tenancy/client-cache.js';
import type { TenantDirectory } from '../../tenancy/tenant-directory.js';

/** What resolving a logout request reads: the issuer, the tenant's keys (the hint's signature), its clients. */
export interface LogoutRequestSources {
  readonly directory: TenantDirectory;
  readonly keys: TenantKeyCache;
  readonly clients: ClientCache;
}

/** An end-session request whose every part checked out (OIDC RP-Initiated Logout 1.0 §2, §3). */
export interface LogoutRequest {
  readonly hint: IdTokenHint | null;
  /** The id_token_hint as sent, to carry through the confirmation form. */
  readonly rawHint: string | null;
  /** client_id, else the hint's audience; null when neither names one. */
  readonly client: Client | null;
  /** One of `client`'s registered URIs, compared as exact strings. */
  readonly postLogoutRedirectUri: string | null;
  readonly state: string | null;
}

/**
 * Checks the parameters in order; each failure is an InvalidRequest whose hint the error page
 * shows. `logout_hint` is accepted and ignored; `ui_locales` picks the pages' language.
 */
export async function resolveLogoutRequest(sources: LogoutRequestSources, tenant: Tenant, params: Params): Promise<LogoutRequest> {
  const hint = await checkIdTokenHint(sources, tenant, params['id_token_hint']);
  const clientId = params['client_id'];
  // §2: when both are given, the client must be the one the ID token was issued to.
  if (clientId !== undefined && hint && !hint.aud.includes(clientId)) {
    throw new InvalidRequest({ hint: 'The id_token_hint was not issued to this client_id.' });
  }
  const client = await findClient(sources, tenant, clientId ?? soleAudience(hint));
  if (clientId !== undefined && !client) throw new InvalidRequest({ hint: 'Unknown client_id.' });

  const uri = params['post_logout_redirect_uri'];
  if (uri !== undefined) {
    if (!client) throw new InvalidRequest({ hint: 'A post_logout_redirect_uri needs a client_id or an id_token_hint.' });
    // §3: the URI must have been registered; exact string comparison, never a prefix or a pattern.
    if (!client.postLogoutRedirectUris.includes(uri)) {
      throw new InvalidRequest({ hint: 'The post_logout_redirect_uri is not registered for this application.' });
    }
  }
  return {
    hint,
    rawHint: hint ? (params['id_token_hint'] ?? null) : null,
    client,
    postLogoutRedirectUri: uri ?? null,
    state: params['state'] ?? null,
  };
}

/** §2: signed by this issuer's key; an expired ID token is still a valid hint. */
async function checkIdTokenHint(sources: LogoutRequestSources, tenant: Tenant, token: string | undefined): Promise<IdTokenHint | null> {
  if (token === undefined) return null;
  const hint = await verifyIdTokenHint(token, {
    issuer: sources.directory.issuer(tenant),
    keyFor: (kid) => sources.keys.verificationKey(tenant.id, kid),
    algorithms: SIGNING_ALGORITHMS,
  });
  if (!hint) throw new InvalidRequest({ hint: 'The id_token_hint is not a valid ID token from this issuer.' });
  return hint;
}

/** Our ID tokens have one audience; a token for several does not name a client. */
function soleAudience(hint: IdTokenHint | null): string | undefined {
  return hint?.aud.length === 1 ? hint.aud[0] : undefined;
}

function findClient(sources: LogoutRequestSources, tenant: Tenant, clientId: string | undefined): Promise<Client | null> {
  return clientId === undefined ? Promise.resolve(null) : sources.clients.find(tenant.id, clientId);
}
