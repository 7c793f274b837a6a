import type { Tenant } from '@gatehouse/persistence';
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
 * checked against the tenant's registered types; a tenant with none registered refuses it.
 */
export function authorizationDetailsOf(tenant: Tenant, raw: string | undefined): AuthorizationDetail[] | undefined {
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
  validator.check(details);
  return details;
}

export function checkAuthorizationDetails(draft: AuthorizeDraft): void {
  draft.authorizationDetails = authorizationDetailsOf(draft.tenant, draft.params['authorization_details']);
}
