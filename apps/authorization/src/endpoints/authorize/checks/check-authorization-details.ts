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
  validatorFor(types).check(details, client.authorizationDetailsTypes ?? undefined);
  return details;
}

/**
 * Whether details a grant already holds would still be accepted in a new request: the tenant may since
 * have dropped a type or changed its schema, or an admin may have taken the type from the client.
 */
export function authorizationDetailsStillAccepted(
  tenant: Tenant,
  client: Pick<Client, 'authorizationDetailsTypes'>,
  details: readonly AuthorizationDetail[],
): boolean {
  try {
    validatorFor(tenant.authorizationDetailsTypes).check(details, client.authorizationDetailsTypes ?? undefined);
    return true;
  } catch (error) {
    if (error instanceof InvalidAuthorizationDetails) return false;
    throw error;
  }
}

function validatorFor(types: Tenant['authorizationDetailsTypes']): AuthorizationDetailsValidator {
  let validator = validators.get(types);
  if (!validator) {
    validator = new AuthorizationDetailsValidator(types);
    validators.set(types, validator);
  }
  return validator;
}

export function checkAuthorizationDetails(draft: AuthorizeDraft): void {
  if (!draft.client) throw new Error('authorize pipeline: the client is resolved before authorization_details');
  draft.authorizationDetails = authorizationDetailsOf(draft.tenant, draft.client, draft.params['authorization_details']);
}
