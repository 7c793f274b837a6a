import type { Client } from '@gatehouse/persistence';
import { InvalidRequest, InvalidRequestObject, InvalidRequestUri, verifyRequestObject } from '@gatehouse/protocol';
import { hashOpaqueSecret } from '@gatehouse/tokens';
import { singleValuedParams, type Params } from '../../../http/request-params.js';
import { clientSigningAlgorithms } from '../../../tenancy/security-profile.js';
import type { AuthorizeDraft } from '../authorization-request.js';
import type { CheckDependencies } from '../authorize.pipeline.js';

/**
 * RFC 9126 §4 and RFC 9101 §5: when the tenant offers them, a request_uri names a pushed request of
 * this client (used once) and a `request` is a signed request object of this client; either way only
 * their parameters count, never the query's beside them. Before the redirect URI is trusted, so a
 * refusal is the error page: the redirect URI is inside what could not be read. Where the tenant
 * does not offer them, the later checks answer request_uri_not_supported / request_not_supported.
 */
export async function resolveRequest(draft: AuthorizeDraft, deps: CheckDependencies): Promise<void> {
  const { tenant, params } = draft;
  const client = draft.client as Client;
  if (params['request_uri'] !== undefined && tenant.pushedAuthorizationRequests !== 'disabled') {
    if (params['request'] !== undefined) throw new InvalidRequest({ hint: 'request and request_uri cannot both be sent' });
    const hash = hashOpaqueSecret(params['request_uri']);
    const pushed = await deps.persistence.repositories.pushedRequests.consume(tenant.id, hash, client.clientId, deps.now());
    if (!pushed) throw new InvalidRequestUri({ cause: 'request_uri unknown, expired, used, or of another client' });
    draft.params = pushed.params;
    draft.pushed = true;
    draft.signed = pushed.signed;
    return;
  }
  if (params['request'] !== undefined && tenant.requestObjects !== 'disabled') {
    draft.params = await requestObjectParams(params['request'], client, draft.issuer, deps.now(), clientSigningAlgorithms(tenant));
    draft.signed = true;
  }
}

/** The request object's claims as the request's parameters, held to the query's rules; refusals are invalid_request_object. */
export async function requestObjectParams(
  jwt: string,
  client: Client,
  issuer: string,
  now: Date,
  algorithms?: readonly string[],
): Promise<Params> {
  const result = await verifyRequestObject(jwt, client, issuer, now, algorithms);
  if (!result.ok) throw new InvalidRequestObject({ cause: result.reason });
  return singleValuedParams(result.params);
}
