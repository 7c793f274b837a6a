import type { RegistrationToken } from '@gatehouse/persistence';
import type { RegistrationPolicy } from '@gatehouse/protocol';

/** A registration token as listed and audited: never the token, never its hash. */
export function presentRegistrationToken(token: RegistrationToken): Record<string, unknown> {
  return {
    id: token.id,
    expires_at: token.expiresAt.toISOString(),
    revoked_at: token.revokedAt?.toISOString() ?? null,
    created_at: token.createdAt.toISOString(),
    policy: presentRegistrationPolicy(token.policy),
  };
}

/** What clients registered with the token may ask for, in wire names. */
export function presentRegistrationPolicy(policy: RegistrationPolicy): Record<string, unknown> {
  return {
    grant_types: [...policy.grantTypes],
    scopes: [...policy.scopes],
    apis: [...policy.apis],
    token_endpoint_auth_methods: [...policy.tokenEndpointAuthMethods],
  };
}
