import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_RISK_POLICY, resolveRiskPolicy } from '../risk-policy.js';
import { NOW, attemptsWithin, minutesAgo, signals } from '../testing/risk-signals.factory.js';
import { checkVelocity } from './velocity.rule.js';

const fromIp = (usernames: string[], minutes = 1) => usernames.map((username) => ({ username, at: minutesAgo(minutes) }));
const users = (n: number) => Array.from({ length: n }, (_, i) => `user${i}`);

describe('checkVelocity per user', () => {
  it('allows 5 attempts in 5 minutes (4 earlier + this one)', () => {
    assert.deepEqual(checkVelocity(signals({ history: { priorAttemptsForUser: attemptsWithin(4, 5) } }), DEFAULT_RISK_POLICY), []);
  });

  it('flags the 6th attempt in 5 minutes', () => {
    const reasons = checkVelocity(signals({ history: { priorAttemptsForUser: attemptsWithin(5, 5) } }), DEFAULT_RISK_POLICY);
    assert.deepEqual(reasons, [{ rule: 'velocity.user', points: 40, detail: '6 attempts for this user in the last 5 min (more than 5)' }]);
  });

  it('ignores attempts at or beyond the window edge and in the future', () => {
    const old = [minutesAgo(5), minutesAgo(6), minutesAgo(60), new Date(NOW.getTime() + 1000)];
    assert.deepEqual(
      checkVelocity(signals({ history: { priorAttemptsForUser: [...attemptsWithin(4, 5), ...old] } }), DEFAULT_RISK_POLICY),
      [],
    );
  });

  it('uses the tenant threshold, window and points', () => {
    const policy = resolveRiskPolicy({ velocityMaxAttempts: 2, velocityWindowSeconds: 90, velocityPoints: 15 });
    const reasons = checkVelocity(signals({ history: { priorAttemptsForUser: [minutesAgo(0.5), minutesAgo(1), minutesAgo(2)] } }), policy);
    assert.deepEqual(reasons, [{ rule: 'velocity.user', points: 15, detail: '3 attempts for this user in the last 90 s (more than 2)' }]);
  });
});

describe('checkVelocity per IP (credential stuffing)', () => {
  it('allows 10 distinct usernames, this one included, and counts repeats once', () => {
    const prior = [...fromIp(users(9)), ...fromIp(users(9)), ...fromIp(['alice'])];
    assert.deepEqual(checkVelocity(signals({ username: 'alice', history: { priorAttemptsFromIp: prior } }), DEFAULT_RISK_POLICY), []);
  });

  it('flags the 11th distinct username from one IP', () => {
    const reasons = checkVelocity(signals({ username: 'alice', history: { priorAttemptsFromIp: fromIp(users(10)) } }), DEFAULT_RISK_POLICY);
    assert.deepEqual(reasons, [
      { rule: 'velocity.ip', points: 30, detail: '11 distinct usernames from this IP in the last 5 min (more than 10)' },
    ]);
  });

  it('ignores attempts outside the window, and an attempt without a username adds none', () => {
    const prior = [...fromIp(users(10)), ...fromIp(['x', 'y', 'z'], 5), ...fromIp(['w'], 30)];
    assert.deepEqual(checkVelocity(signals({ username: undefined, history: { priorAttemptsFromIp: prior } }), DEFAULT_RISK_POLICY), []);
  });

  it('uses the tenant threshold and points', () => {
    const policy = resolveRiskPolicy({ credentialStuffingDistinctUsers: 2, credentialStuffingPoints: 50 });
    const reasons = checkVelocity(signals({ username: 'alice', history: { priorAttemptsFromIp: fromIp(['bob', 'carol']) } }), policy);
    assert.deepEqual(
      reasons.map((r) => [r.rule, r.points]),
      [['velocity.ip', 50]],
    );
  });
});
