import type { RegistrationToken } from '@gatehouse/persistence';

/** A registration token as listed and audited: never the token, never its hash. */
export function presentRegistrationToken(token: RegistrationToken): Record<string, unknown> {
  return {
    id: token.id,
    expires_at: token.expiresAt.toISOString(),
    revoked_at: token.revokedAt?.toISOString() ?? null,
    created_at: token.createdAt.toISOString(),
  };
}
