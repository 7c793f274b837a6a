import type { Consent, User, UserSessionSummary } from '@gatehouse/persistence';

/** The user as the admin API shows it: lock state included, never the password hash. */
export function presentUser(user: User, now: Date): Record<string, unknown> {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    email_verified: user.emailVerified,
    name: user.name,
    status: user.status,
    // Locked either way: the temporary lock (locked_until) or the hard lock only an unlock lifts.
    locked: user.hardLockedAt !== null || (user.lockedUntil !== null && user.lockedUntil > now),
    locked_until: user.lockedUntil && user.lockedUntil > now ? user.lockedUntil.toISOString() : null,
    failed_login_count: user.failedLoginCount,
    hard_locked: user.hardLockedAt !== null,
    hard_locked_at: user.hardLockedAt?.toISOString() ?? null,
    consecutive_failed_logins: user.consecutiveFailedLogins,
    last_login_at: user.lastLoginAt?.toISOString() ?? null,
    created_at: user.createdAt.toISOString(),
  };
}

/** A session's metadata: never its cookie or the cookie's hash. */
export function presentSession(session: UserSessionSummary): Record<string, unknown> {
  return {
    id: session.id,
    created_at: session.createdAt.toISOString(),
    auth_time: session.authTime.toISOString(),
    expires_at: session.expiresAt.toISOString(),
    amr: session.amr,
    client_ids: session.clientIds,
  };
}

/** `scopes` is every scope the client was granted; `resources` says for which API (resource null: the OpenID scopes, no API). */
export function presentConsent(consent: Consent): Record<string, unknown> {
  return {
    client_id: consent.clientId,
    scopes: consent.scopes,
    granted_at: consent.grantedAt.toISOString(),
    resources: consent.resources.map((entry) => ({
      resource: entry.resource,
      scopes: entry.scopes,
      granted_at: entry.grantedAt.toISOString(),
    })),
  };
}
