import { OIDC_SCOPES } from '@gatehouse/protocol';
import type { User } from '@gatehouse/persistence';

export const STANDARD_SCOPES = OIDC_SCOPES;
export const STANDARD_CLAIMS = [
  'sub',
  'iss',
  'aud',
  'exp',
  'iat',
  'auth_time',
  'nonce',
  'azp',
  'at_hash',
  'amr',
  'acr',
  'name',
  'preferred_username',
  'email',
  'email_verified',
];

/** OIDC Core §5.4: the claims each standard scope releases. */
export function claimsForScopes(user: User, scopes: readonly string[]): Record<string, unknown> {
  const claims: Record<string, unknown> = { sub: user.id };
  if (scopes.includes('profile')) {
    claims['preferred_username'] = user.username;
    if (user.name) claims['name'] = user.name;
  }
  if (scopes.includes('email') && user.email) {
    claims['email'] = user.email;
    claims['email_verified'] = user.emailVerified;
  }
  return claims;
}
