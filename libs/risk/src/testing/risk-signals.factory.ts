import type { GeoLocation } from '@gatehouse/audit';
import type { LoginHistory, RiskSignals } from '../risk-signals.js';

// Test factories (not exported from the lib): a calm login by a known user, with overrides.
export const NOW = new Date('2026-03-01T12:00:00Z');

export const BERLIN: GeoLocation = { kind: 'located', country: 'DE', city: 'Berlin', latitude: 52.52, longitude: 13.405 };
export const MUNICH: GeoLocation = { kind: 'located', country: 'DE', city: 'Munich', latitude: 48.1351, longitude: 11.582 };
export const PARIS: GeoLocation = { kind: 'located', country: 'FR', city: 'Paris', latitude: 48.8566, longitude: 2.3522 };
export const NEW_YORK: GeoLocation = { kind: 'located', country: 'US', city: 'New York', latitude: 40.7128, longitude: -74.006 };

export function minutesAgo(minutes: number): Date {
  return new Date(NOW.getTime() - minutes * 60_000);
}

export function history(overrides: Partial<LoginHistory> = {}): LoginHistory {
  return {
    countries: ['DE'],
    lastLogin: { at: minutesAgo(24 * 60), location: BERLIN },
    knownDeviceIds: ['device-1'],
    priorAttemptsForUser: [],
    priorAttemptsFromIp: [],
    ...overrides,
  };
}

export function signals(overrides: Partial<Omit<RiskSignals, 'history'>> & { history?: Partial<LoginHistory> } = {}): RiskSignals {
  const { history: historyOverrides, ...rest } = overrides;
  return {
    now: NOW,
    username: 'alice',
    location: BERLIN,
    device: { id: 'device-1', browser: 'Firefox 125', os: 'Linux' },
    ...rest,
    history: history(historyOverrides),
  };
}

/** `count` timestamps spread evenly over the last `withinMinutes`, none at the window's edge. */
export function attemptsWithin(count: number, withinMinutes: number): Date[] {
  return Array.from({ length: count }, (_, i) => minutesAgo(((i + 1) * withinMinutes) / (count + 1)));
}
