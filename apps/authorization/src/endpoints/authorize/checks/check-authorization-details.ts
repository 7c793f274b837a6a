import type { Client, Tenant } from '@gatehouse/persistence';
import {
  AuthorizationDetailsValidator,
  InvalidAuthorizationDetails,
  parseAuthorizationDetails,
  type AuthorizationDetail,
} from '@gatehouse/protocol';
import type { AuthorizeDraft } from '../authorization-request.js';

// One validator (and its compiled schemas) per registration: a tenant changed by the admin API is a new object.
const validators = new WeakMap<object, AuthorizationDetailsValidator>();

/**
 * RFC 9396 §2 and §5: the `authorization_details` parameter (or a request object's array), parsed and
 * checked against the tenant's registered types and those the client registered for (RFC 9396 §10);
 * a tenant with none registered refuses it.
 */
export function authorizationDetailsOf(
  tenant: Tenant,
  client: Pick<Client, 'authorizationDetailsTypes'>,
  raw: string | undefined,
): AuthorizationDetail[] | undefined {
  if (raw === undefined) return undefined;
  const types = tenant.authorizationDetailsTypes;
  if (Object.keys(types).length === 0)
    throw new InvalidAuthorizationDetails({ hint: 'this issuer accepts no authorization details types' });
  const details = parseAuthorizationDetails(raw);
  let validator = validators.get(types);
  if (!validator) {
    validator = new AuthorizationDetailsValidator(types);
    validators.set(types, validator);
  }
  validator.check(details, client.authorizationDetailsTypes ?? undefined);
  return details;
}

export function checkAuthorizationDetails(draft: AuthorizeDraft): void {
  if (!draft.client) throw new Error('authorize pipeline: the client is resolved before authorization_details');
  draft.authorizationDetails = authorizationDetailsOf(draft.tenant, draft.client, draft.params['authorization_details']);
}
