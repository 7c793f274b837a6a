import type { GeoLocation } from '@gatehouse/audit';
import type { LoginHistoryRow } from '@gatehouse/persistence';
import type { LoginHistory } from '@gatehouse/risk';

/** A login attempt as the risk rules remember it: from the store, or earlier in the same batch. */
export type Attempt = Pick<LoginHistoryRow, 'occurredAt' | 'type' | 'outcome' | 'userId' | 'username' | 'ip' | 'geo' | 'deviceId'>;

export const LOGIN_TYPES: ReadonlySet<string> = new Set(['login.succeeded', 'login.failed']);

/**
 * What came before an attempt, for one user and IP: earlier successful logins give the
 * countries, the last location and the known devices; all attempts inside the windows
 * give the velocity counts. `attempts` is oldest first and excludes the attempt itself.
 */
export function historyFor(
  attempts: readonly Attempt[],
  who: { userId?: string | undefined; username?: string | undefined; ip?: string | undefined },
  before: Date,
  windowStart: { user: Date; ip: Date },
): LoginHistory {
  const sameUser = (attempt: Attempt) =>
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
