import type { GeoLocation } from '@gatehouse/audit';
import type { LoginHistory } from './risk-signals.js';

/** A login attempt as the rules remember it: from the audit store, or earlier in the same batch. */
export interface LoginAttempt {
  readonly occurredAt: Date;
  readonly type: string;
  readonly outcome: 'success' | 'failure';
  readonly userId: string | null;
  readonly username: string | null;
  readonly ip: string | null;
  readonly geo: GeoLocation;
  readonly deviceId: string | null;
}

/**
 * What came before an attempt, for one user and IP: earlier successful logins give the
 * countries, the last location and the known devices; attempts inside the windows give
 * the velocity counts. Used by the login page and the audit worker alike, so a login is
 * judged the same way in both places.
 */
export function historyFromAttempts(
  attempts: readonly LoginAttempt[],
  who: { userId?: string | undefined; username?: string | undefined; ip?: string | undefined },
  before: Date,
  windowStart: { user: Date; ip: Date },
): LoginHistory {
  const sameUser = (attempt: LoginAttempt) =>
    (who.userId !== undefined && attempt.userId === who.userId) || (who.username !== undefined && attempt.username === who.username);
  const earlier = attempts.filter((attempt) => attempt.occurredAt <= before);
  const successes = earlier.filter((attempt) => attempt.type === 'login.succeeded' && attempt.outcome === 'success' && sameUser(attempt));
  const countries = new Set<string>();
  const devices = new Set<string>();
  let lastLogin: { at: Date; location: GeoLocation } | undefined;
  for (const success of successes) {
    if (success.geo.kind === 'located') countries.add(success.geo.country);
    if (success.deviceId) devices.add(success.deviceId);
    if (!lastLogin || success.occurredAt >= lastLogin.at) lastLogin = { at: success.occurredAt, location: success.geo };
  }
  return {
    countries: [...countries],
    ...(lastLogin ? { lastLogin } : {}),
    knownDeviceIds: [...devices],
    priorAttemptsForUser: earlier.filter((attempt) => sameUser(attempt) && attempt.occurredAt >= windowStart.user).map((a) => a.occurredAt),
    priorAttemptsFromIp: earlier
      .filter((attempt) => who.ip !== undefined && attempt.ip === who.ip && attempt.occurredAt >= windowStart.ip)
      .map((attempt) => ({ username: attempt.username ?? attempt.userId ?? '', at: attempt.occurredAt })),
  };
}
