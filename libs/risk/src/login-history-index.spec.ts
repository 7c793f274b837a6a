import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GeoLocation } from '@gatehouse/audit';
import { seededRandom } from '../../../test/support/seeded-random.js';
import { assessRisk } from './assess-risk.js';
import { historyFromAttempts, type LoginAttempt } from './history-from-attempts.js';
import { LoginHistoryIndex } from './login-history-index.js';
import { historyStart } from './score-login.js';
import { DEFAULT_RISK_POLICY, resolveRiskPolicy, type RiskPolicy } from './risk-policy.js';
import type { LoginHistory } from './risk-signals.js';

const PLACES: readonly GeoLocation[] = [
  { kind: 'located', country: 'DE', latitude: 52.5, longitude: 13.4 },
  { kind: 'located', country: 'US', latitude: 40.7, longitude: -74 },
  { kind: 'located', country: 'BR', latitude: -23.5, longitude: -46.6 },
  { kind: 'located', country: 'JP', latitude: 35.7, longitude: 139.7 },
  { kind: 'located', country: 'FR' },
  { kind: 'internal' },
  { kind: 'unknown' },
];

/** A deterministic stream of attempts: 120 users, 41 IPs, bursts, failures without a user id, some out of time order. */
function attempts(count: number, users: number, seed = 7): LoginAttempt[] {
  const random = seededRandom(seed);
  const start = Date.parse('2026-12-01T08:00:00Z');
  let clock = start;
  return Array.from({ length: count }, () => {
    clock += random(100) === 0 ? random(900_000) : random(1_000);
    // Three users hammered (velocity.user), one address stuffing many usernames (velocity.ip).
    const user = random(6) === 0 ? random(3) : random(users);
    const failed = random(4) === 0;
    // Events recorded late: up to 10 minutes older than the ones before them.
    const occurredAt = new Date(random(10) === 0 ? clock - random(600_000) : clock);
    return {
      occurredAt,
      type: failed ? 'login.failed' : 'login.succeeded',
      outcome: failed ? 'failure' : random(50) === 0 ? 'failure' : 'success',
      userId: failed && random(2) === 0 ? null : `user-${user}`,
      username: random(8) === 0 ? null : random(30) === 0 ? `other-${user}` : `name-${user}`,
      ip: random(15) === 0 ? null : random(4) === 0 ? '203.0.113.66' : `198.51.100.${random(40)}`,
      geo: PLACES[random(PLACES.length)]!,
      deviceId: random(3) === 0 ? null : `device-${user}-${random(3)}`,
    };
  });
}

const subject = (attempt: LoginAttempt) => ({
  userId: attempt.userId ?? undefined,
  username: attempt.username ?? undefined,
  ip: attempt.ip ?? undefined,
});

/** The worker's query for one attempt alone (AuditRecordRepository.loginHistory), over what is stored. */
function storedHistoryOf(stored: readonly LoginAttempt[], attempt: LoginAttempt, policy: RiskPolicy): LoginAttempt[] {
  const since = attempt.occurredAt.getTime() - Math.max(policy.velocityWindowSeconds, policy.credentialStuffingWindowSeconds) * 1000;
  const who = subject(attempt);
  return stored.filter(
    (row) =>
      (row.occurredAt.getTime() >= since &&
        ((who.userId !== undefined && row.userId === who.userId) ||
          (who.username !== undefined && row.username === who.username) ||
          (who.ip !== undefined && row.ip === who.ip))) ||
      (row.type === 'login.succeeded' && who.userId !== undefined && row.userId === who.userId),
  );
}

/** The rules on an attempt and its history, as both scorers call them. */
function assessAttempt(attempt: LoginAttempt, history: LoginHistory, policy: RiskPolicy) {
  return assessRisk(
    {
      now: attempt.occurredAt,
      username: attempt.username ?? undefined,
      location: attempt.geo,
      device: { id: attempt.deviceId ?? undefined },
      history,
    },
    policy,
  );
}

function oneAtATime(all: readonly LoginAttempt[], from: number, policy: RiskPolicy) {
  return all.slice(from).map((attempt, index) => {
    const history = historyFromAttempts(
      storedHistoryOf(all.slice(0, from + index), attempt, policy),
      subject(attempt),
      attempt.occurredAt,
      {
        user: new Date(attempt.occurredAt.getTime() - policy.velocityWindowSeconds * 1000),
        ip: new Date(attempt.occurredAt.getTime() - policy.credentialStuffingWindowSeconds * 1000),
      },
    );
    return assessAttempt(attempt, history, policy);
  });
}

function inBatch(stored: readonly LoginAttempt[], batch: readonly LoginAttempt[], policy: RiskPolicy) {
  const index = new LoginHistoryIndex(stored, policy);
  return batch.map((attempt) => {
    const history = index.historyFor(subject(attempt), attempt.occurredAt);
    index.add(attempt);
    return assessAttempt(attempt, history, policy);
  });
}

describe('LoginHistoryIndex', () => {
  for (const [name, policy] of [
    ['default policy', DEFAULT_RISK_POLICY],
    [
      'short velocity window, long stuffing window, low thresholds',
      resolveRiskPolicy({
        velocityWindowSeconds: 60,
        credentialStuffingWindowSeconds: 1_800,
        velocityMaxAttempts: 2,
        credentialStuffingDistinctUsers: 3,
      }),
    ],
  ] as const) {
    it(`1,500 attempts of 120 users scored in a batch give the scores and reasons of one at a time (${name})`, () => {
      const all = attempts(1_500, 120);
      const stored = 300;
      const expected = oneAtATime(all, stored, policy);
      // The batch's history comes from one query over the stored attempts: the union of each attempt's own.
      const batch = all.slice(stored);
      const union = new Set(batch.flatMap((attempt) => storedHistoryOf(all.slice(0, stored), attempt, policy)));
      const actual = inBatch(
        all.slice(0, stored).filter((row) => union.has(row)),
        batch,
        policy,
      );
      assert.deepEqual(actual, expected);
      assert.ok(expected.filter((risk) => risk.score > 0).length > 100, 'the stream trips the rules often');
      const rules = new Set(expected.flatMap((risk) => risk.reasons.map((reason) => reason.rule)));
      assert.deepEqual([...rules].sort(), ['device.new', 'geo.impossible_travel', 'geo.new_country', 'velocity.ip', 'velocity.user']);
    });
  }

  it('an empty history scores nothing; an attempt is never its own history', () => {
    const [first] = attempts(1, 1);
    const index = new LoginHistoryIndex([], DEFAULT_RISK_POLICY);
    assert.deepEqual(index.historyFor(subject(first!), first!.occurredAt), {
      countries: [],
      knownDeviceIds: [],
      priorAttemptsForUser: [],
      priorAttemptsFromIp: [],
    });
  });

  it('pruned as it goes, never past the earliest window still to come, it scores as one at a time', () => {
    const policy = DEFAULT_RISK_POLICY;
    const all = attempts(1_500, 120);
    const expected = oneAtATime(all, 0, policy);
    const index = new LoginHistoryIndex([], policy);
    let pruned = 0;
    const actual = all.map((attempt, position) => {
      if (position % 100 === 99) {
        // The earliest history start among the attempts still to come (some arrive late).
        const horizon = Math.min(...all.slice(position).map((next) => historyStart(next.occurredAt, policy).getTime()));
        const before = index.size;
        index.prune(new Date(horizon));
        pruned += before - index.size;
      }
      const history = index.historyFor(subject(attempt), attempt.occurredAt);
      index.add(attempt, position);
      return assessAttempt(attempt, history, policy);
    });
    assert.deepEqual(actual, expected);
    assert.ok(pruned > 500, `pruning forgot ${pruned} attempts`);
  });

  it('an attempt given again (by another lookup) is filed once, and only under the keys asked for', () => {
    const [attempt] = attempts(1, 1);
    const index = new LoginHistoryIndex([], DEFAULT_RISK_POLICY);
    index.add(attempt!, 7, (key) => key.startsWith('user:'));
    index.add(attempt!, 7);
    index.add(attempt!, 7);
    assert.equal(index.size, 1);
    const later = new Date(attempt!.occurredAt.getTime() + 1_000);
    assert.equal(index.historyFor({ userId: attempt!.userId ?? undefined }, later).priorAttemptsForUser.length, 1);
    const onlyIp = new LoginHistoryIndex([], DEFAULT_RISK_POLICY);
    onlyIp.add(attempt!, 7, (key) => key.startsWith('ip:'));
    assert.equal(onlyIp.holds(`user:${attempt!.userId}`), false);
  });
});
