import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GeoLocation } from '@gatehouse/audit';
import { historyFromAttempts as historyFor, type LoginAttempt as Attempt } from './history-from-attempts.js';

const T = new Date('2026-11-26T12:00:00.000Z');
const at = (minutes: number) => new Date(T.getTime() + minutes * 60_000);
const US: GeoLocation = { kind: 'located', country: 'US', latitude: 37.4, longitude: -122.1 };
const FR: GeoLocation = { kind: 'located', country: 'FR', latitude: 48.9, longitude: 2.35 };

function attempt(minutes: number, overrides: Partial<Attempt> = {}): Attempt {
  return {
    occurredAt: at(minutes),
    type: 'login.succeeded',
    outcome: 'success',
    userId: 'u1',
    username: null,
    ip: '8.8.8.8',
    geo: US,
    deviceId: null,
    ...overrides,
  };
}

const windows = (minutes: number) => ({ user: at(minutes - 5), ip: at(minutes - 5) });

describe('historyFor', () => {
  it('a first login has an empty history', () => {
    assert.deepEqual(historyFor([], { userId: 'u1', ip: '8.8.8.8' }, T, windows(0)), {
      countries: [],
      knownDeviceIds: [],
      priorAttemptsForUser: [],
      priorAttemptsFromIp: [],
    });
  });

  it("countries, devices and the last location come from the user's earlier successful logins only", () => {
    const attempts = [
      attempt(-600, { geo: FR, deviceId: 'D0' }),
      attempt(-60, { deviceId: 'D1' }),
      attempt(-30, { type: 'login.failed', outcome: 'failure', geo: { kind: 'located', country: 'BR' }, deviceId: 'DX' }),
      attempt(-20, { userId: 'someone-else', geo: { kind: 'located', country: 'CN' }, deviceId: 'DY' }),
      attempt(-10, { geo: { kind: 'internal' }, deviceId: null }),
    ];
    const history = historyFor(attempts, { userId: 'u1' }, T, windows(0));
    assert.deepEqual([...history.countries].sort(), ['FR', 'US']);
    assert.deepEqual([...history.knownDeviceIds].sort(), ['D0', 'D1']);
    assert.deepEqual(history.lastLogin, { at: at(-10), location: { kind: 'internal' } }, 'the most recent success, wherever it was');
  });

  it('attempts after the one assessed are not history (events recorded out of order)', () => {
    const history = historyFor(
      [attempt(-5, { deviceId: 'D1' }), attempt(+5, { geo: FR, deviceId: 'D2' })],
      { userId: 'u1' },
      T,
      windows(0),
    );
    assert.deepEqual(history.countries, ['US']);
    assert.deepEqual(history.knownDeviceIds, ['D1']);
    assert.deepEqual(history.lastLogin?.at, at(-5));
  });

  it('velocity: the user is matched by id or by the username typed, inside the window', () => {
    const attempts = [
      attempt(-6, { type: 'login.failed', outcome: 'failure', userId: null, username: 'bob' }), // outside the 5-minute window
      attempt(-4, { type: 'login.failed', outcome: 'failure', userId: null, username: 'bob' }),
      attempt(-3, { type: 'login.failed', outcome: 'failure', userId: 'u-bob', username: 'bob' }),
      attempt(-2, { type: 'login.succeeded', userId: 'u-bob', username: null }),
      attempt(-1, { type: 'login.failed', outcome: 'failure', userId: null, username: 'alice' }),
    ];
    const history = historyFor(attempts, { userId: 'u-bob', username: 'bob' }, T, windows(0));
    assert.deepEqual(history.priorAttemptsForUser, [at(-4), at(-3), at(-2)]);
  });

  it('velocity by IP: every attempt from the IP inside its window, whoever it was for', () => {
    const attempts = [
      attempt(-9, { ip: '203.0.113.7', userId: null, username: 'old' }),
      attempt(-4, { ip: '203.0.113.7', userId: null, username: 'carol', type: 'login.failed', outcome: 'failure' }),
      attempt(-3, { ip: '203.0.113.7', userId: 'u-dave', username: null }),
      attempt(-2, { ip: '198.51.100.1', userId: null, username: 'erin' }),
    ];
    const history = historyFor(attempts, { username: 'zed', ip: '203.0.113.7' }, T, windows(0));
    assert.deepEqual(history.priorAttemptsFromIp, [
      { username: 'carol', at: at(-4) },
      { username: 'u-dave', at: at(-3) },
    ]);
    assert.deepEqual(history.priorAttemptsForUser, []);
  });

  it('without a user or an IP nothing matches', () => {
    const history = historyFor([attempt(-1, { userId: null, username: null, ip: null })], {}, T, windows(0));
    assert.deepEqual(history.priorAttemptsForUser, []);
    assert.deepEqual(history.priorAttemptsFromIp, []);
    assert.deepEqual(history.countries, []);
  });
});
