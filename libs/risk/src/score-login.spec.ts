import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LoginAttempt } from './history-from-attempts.js';
import { LoginHistoryIndex } from './login-history-index.js';
import { DEFAULT_RISK_POLICY, resolveRiskPolicy } from './risk-policy.js';
import { historyStart, loginRiskSignals, scoreLogin } from './score-login.js';
import { BERLIN, NEW_YORK, NOW, minutesAgo } from './testing/risk-signals.factory.js';

const success = (overrides: Partial<LoginAttempt>): LoginAttempt => ({
  occurredAt: minutesAgo(60),
  type: 'login.succeeded',
  outcome: 'success',
  userId: 'user-1',
  username: 'alice',
  ip: '198.51.100.7',
  geo: BERLIN,
  deviceId: 'device-1',
  ...overrides,
});

describe('historyStart', () => {
  it('reaches back the longer of the velocity and credential-stuffing windows', () => {
    const policy = resolveRiskPolicy({ velocityWindowSeconds: 600, credentialStuffingWindowSeconds: 3600 });
    assert.equal(historyStart(NOW, policy).toISOString(), minutesAgo(60).toISOString());
    const userLonger = resolveRiskPolicy({ velocityWindowSeconds: 7200, credentialStuffingWindowSeconds: 60 });
    assert.equal(historyStart(NOW, userLonger).toISOString(), minutesAgo(120).toISOString());
  });
});

describe('loginRiskSignals', () => {
  it('compares the username lower-cased, as records store it, and takes the history from the index', () => {
    const index = new LoginHistoryIndex([success({ occurredAt: minutesAgo(2), userId: null })], DEFAULT_RISK_POLICY);
    const signals = loginRiskSignals(
      { at: NOW, username: 'ALICE', ip: '203.0.113.9', location: BERLIN, device: { id: 'device-1' } },
      index,
    );
    assert.equal(signals.username, 'alice');
    assert.equal(signals.history.priorAttemptsForUser.length, 1, 'the earlier attempt found by the lower-cased username');
    assert.equal(signals.now, NOW);
  });

  it("reaches a user's successful logins by user id, however old", () => {
    const index = new LoginHistoryIndex([success({ occurredAt: minutesAgo(60 * 24 * 30) })], DEFAULT_RISK_POLICY);
    const signals = loginRiskSignals({ at: NOW, userId: 'user-1', location: BERLIN, device: {} }, index);
    assert.deepEqual(signals.history.countries, ['DE']);
    assert.deepEqual(signals.history.knownDeviceIds, ['device-1']);
  });

  it('sees nothing of attempts after its own time', () => {
    const index = new LoginHistoryIndex([success({ occurredAt: new Date(NOW.getTime() + 1000) })], DEFAULT_RISK_POLICY);
    const signals = loginRiskSignals({ at: NOW, userId: 'user-1', location: BERLIN, device: {} }, index);
    assert.deepEqual(signals.history.countries, []);
  });
});

describe('scoreLogin', () => {
  it('scores a new country and device against the history, and a familiar login as calm', () => {
    const index = new LoginHistoryIndex([success({})], DEFAULT_RISK_POLICY);
    const familiar = scoreLogin(
      { at: NOW, userId: 'user-1', username: 'alice', location: BERLIN, device: { id: 'device-1' } },
      index,
      DEFAULT_RISK_POLICY,
    );
    assert.equal(familiar.score, 0);
    const strange = scoreLogin(
      { at: NOW, userId: 'user-1', username: 'alice', location: NEW_YORK, device: { id: 'device-9' } },
      index,
      DEFAULT_RISK_POLICY,
    );
    assert.ok(strange.score > 0);
    assert.ok(strange.reasons.some((reason) => reason.rule.startsWith('geo.')));
    assert.ok(strange.reasons.some((reason) => reason.rule === 'device.new'));
  });
});
