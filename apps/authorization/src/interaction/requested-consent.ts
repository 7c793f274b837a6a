import type { ResourceScopes } from '@gatehouse/persistence';
import { OIDC_SCOPES } from '@gatehouse/protocol';
import type { ValidatedAuthorizationRequest } from '../endpoints/authorize/authorization-request.js';

const OIDC = new Set(OIDC_SCOPES);

/**
 * What a request asks the user to grant, per resource. The OpenID scopes are about the account
 * itself (no API); every other scope belongs to the API the request named (RFC 8707 `resource`,
 * which check-resource admitted them for). The account's scopes come first; without an API, all
 * scopes are under none (check-resource left only OpenID scopes there).
 */
export function requestedConsent(request: Pick<ValidatedAuthorizationRequest, 'scopes' | 'resource'>): ResourceScopes[] {
  if (!request.resource) return request.scopes.length > 0 ? [{ resource: null, scopes: [...request.scopes] }] : [];
  const account = request.scopes.filter((scope) => OIDC.has(scope));
  const api = request.scopes.filter((scope) => !OIDC.has(scope));
  const requested: ResourceScopes[] = [];
  if (account.length > 0) requested.push({ resource: null, scopes: account });
  if (api.length > 0) requested.push({ resource: request.resource, scopes: api });
  return requested;
}

/**
 * The requested (resource, scope) pairs that were not granted; none left means no consent page.
 * A scope counts only at the resource it was granted for: `read` at one API covers neither `read`
 * at another nor `read` without an API. Without an API only the OpenID scopes count: consents
 * recorded before they were per API hold API scopes under no API, and those cover nothing.
 */
export function missingConsent(requested: readonly ResourceScopes[], granted: readonly ResourceScopes[]): ResourceScopes[] {
  const missing: ResourceScopes[] = [];
  for (const { resource, scopes } of requested) {
    const have = new Set(granted.filter((entry) => entry.resource === resource).flatMap((entry) => entry.scopes));
    const lacking = scopes.filter((scope) => !have.has(scope) || (resource === null && !OIDC.has(scope)));
    if (lacking.length > 0) missing.push({ resource, scopes: lacking });
  }
  return missing;
}
