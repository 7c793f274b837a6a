import { InvalidTarget, OIDC_SCOPES } from '@gatehouse/protocol';
import type { ApiCache } from '../../../tenancy/api-cache.js';
import { requireResourceAllowed } from '../../token/admin-audience.js';
import type { AuthorizeDraft } from '../authorization-request.js';

const OIDC = new Set(OIDC_SCOPES);

/**
 * RFC 8707: `resource` names one registered API; the token's scopes become that
 * API's scopes (plus the OpenID ones for the ID token). Without it the access
 * token is for userinfo only, so API scopes are dropped.
 */
export async function checkResource(draft: AuthorizeDraft, apis: ApiCache): Promise<void> {
  const resource = draft.params['resource'];
  const scopes = draft.scopes ?? [];
  if (resource === undefined) {
    draft.scopes = scopes.filter((scope) => OIDC.has(scope));
  } else {
    const api = await apis.find(draft.tenant.id, resource);
    if (!api) throw new InvalidTarget({ hint: 'resource is not a registered API of this tenant' });
    if (draft.client) requireResourceAllowed(draft.tenant, draft.client, api);
    // RFC 8707 §2: a token for an API with none of its scopes would be a token for nothing.
    if (!scopes.some((scope) => api.scopes.includes(scope)))
      throw new InvalidTarget({ hint: 'none of the requested scopes is a scope of this resource' });
    draft.resource = api.identifier;
    draft.scopes = scopes.filter((scope) => OIDC.has(scope) || api.scopes.includes(scope));
  }
  if (draft.scopes.length === 0) throw new InvalidTarget({ hint: 'no requested scope applies to this resource' });
}
