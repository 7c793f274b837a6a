import type { DeviceInfo, GeoLocation } from '@gatehouse/audit';

/**
 * Everything the rules look at for one login attempt. Plain data: the login path builds it
 * from the request and a few queries, the audit worker from the event and SQL rows.
 */
export interface RiskSignals {
  /** When the attempt happened (the event time, not the time it is scored). */
  readonly now: Date;
  /** The username the attempt was for, as typed; counts towards the per-IP distinct usernames. */
  readonly username?: string | undefined;
  readonly location: GeoLocation;
  /** `id` is the id from a device cookie that verified, absent when the browser sent none (or a bad one). */
  readonly device: DeviceInfo;
  readonly history: LoginHistory;
}

/** What came before this attempt. Nothing here includes the attempt being assessed. */
export interface LoginHistory {
  /** ISO 3166-1 alpha-2 countries of the user's earlier successful logins; empty for a first login. */
  readonly countries: readonly string[];
  /** The user's most recent earlier successful login. */
  readonly lastLogin?: { readonly at: Date; readonly location: GeoLocation } | undefined;
  /** Device ids of the user's earlier successful logins. */
  readonly knownDeviceIds: readonly string[];
  /** Times of the user's earlier attempts (successful or not); older ones than the window are ignored. */
  readonly priorAttemptsForUser: readonly Date[];
  /** Earlier attempts from the same IP, any user; older ones than the window are ignored. */
  readonly priorAttemptsFromIp: readonly { readonly username: string; readonly at: Date }[];
}
