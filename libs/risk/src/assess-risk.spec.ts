import type { RiskAssessment } from '@gatehouse/audit';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assessRisk } from './assess-risk.js';
import { DEFAULT_RISK_POLICY, resolveRiskPolicy, type RiskPolicy } from './risk-policy.js';
import type { RiskSignals } from './risk-signals.js';
import { BERLIN, NEW_YORK, attemptsWithin, minutesAgo, signals } from './testing/risk-signals.factory.js';

const users = (n: number) => Array.from({ length: n }, (_, i) => ({ username: `user${i}`, at: minutesAgo(1) }));

// The scenario: a login from a new device in a new country after a recent one elsewhere.
const newDeviceNewCountryAfterRecentLogin: RiskSignals = signals({
  location: NEW_YORK,
  device: { id: 'device-9', browser: 'Chrome 124', os: 'Windows 10' },
  history: { countries: ['DE'], lastLogin: { at: minutesAgo(90), location: BERLIN }, knownDeviceIds: ['device-1'] },
});
const withHistory = (base: RiskSignals, history: Partial<RiskSignals['history']>): RiskSignals => ({
  ...base,
  history: { ...base.history, ...history },
});

interface Case {
  readonly name: string;
  readonly signals: RiskSignals;
  readonly policy?: RiskPolicy;
  readonly score: number;
  /** rule:points of each reason, in order. */
  readonly reasons: readonly string[];
}

const cases: readonly Case[] = [
  { name: 'a calm login by a known user on a known device', signals: signals(), score: 0, reasons: [] },
  {
    name: 'the first login ever, from anywhere, on any device',
    signals: signals({ location: NEW_YORK, device: { id: 'd' }, history: { countries: [], lastLogin: undefined, knownDeviceIds: [] } }),
    score: 0,
    reasons: [],
  },
  {
    name: 'new device in a new country after a recent login elsewhere',
    signals: newDeviceNewCountryAfterRecentLogin,
    score: 50,
    reasons: ['geo.new_country:30', 'geo.impossible_travel:0', 'device.new:20'],
  },
  {
    name: '... and the 6th attempt in 5 minutes',
    signals: withHistory(newDeviceNewCountryAfterRecentLogin, { priorAttemptsForUser: attemptsWithin(5, 5) }),
    score: 90,
    reasons: ['geo.new_country:30', 'geo.impossible_travel:0', 'device.new:20', 'velocity.user:40'],
  },
  {
    name: '... with 5 attempts in 5 minutes (not more than 5)',
    signals: withHistory(newDeviceNewCountryAfterRecentLogin, { priorAttemptsForUser: attemptsWithin(4, 5) }),
    score: 50,
    reasons: ['geo.new_country:30', 'geo.impossible_travel:0', 'device.new:20'],
  },
  {
    name: '... and credential stuffing from the IP: capped at 100',
    signals: withHistory(newDeviceNewCountryAfterRecentLogin, {
      priorAttemptsForUser: attemptsWithin(5, 5),
      priorAttemptsFromIp: users(10),
    }),
    score: 100,
    reasons: ['geo.new_country:30', 'geo.impossible_travel:0', 'device.new:20', 'velocity.user:40', 'velocity.ip:30'],
  },
  {
    name: 'the same from an internal address: no geo points',
    signals: { ...newDeviceNewCountryAfterRecentLogin, location: { kind: 'internal' } },
    score: 20,
    reasons: ['device.new:20'],
  },
  {
    name: 'the same from an unknown location: no geo points',
    signals: { ...newDeviceNewCountryAfterRecentLogin, location: { kind: 'unknown' } },
    score: 20,
    reasons: ['device.new:20'],
  },
  {
    name: 'tenant weights change the score',
    signals: newDeviceNewCountryAfterRecentLogin,
    policy: resolveRiskPolicy({ geoAnomalyPoints: 10, newDevicePoints: 5 }),
    score: 15,
    reasons: ['geo.new_country:10', 'geo.impossible_travel:0', 'device.new:5'],
  },
  {
    name: 'a tenant that trusts travel: 90 min Berlin -> New York is under 10000 km/h',
    signals: newDeviceNewCountryAfterRecentLogin,
    policy: resolveRiskPolicy({ impossibleTravelKmh: 10_000 }),
    score: 50,
    reasons: ['geo.new_country:30', 'device.new:20'],
  },
  {
    name: 'a tenant that tolerates 10 attempts',
    signals: withHistory(signals(), { priorAttemptsForUser: attemptsWithin(9, 5) }),
    policy: resolveRiskPolicy({ velocityMaxAttempts: 10 }),
    score: 0,
    reasons: [],
  },
  {
    name: 'weights summing over 100 are capped',
    signals: withHistory(newDeviceNewCountryAfterRecentLogin, { priorAttemptsForUser: attemptsWithin(5, 5) }),
    policy: resolveRiskPolicy({ geoAnomalyPoints: 100, newDevicePoints: 100, velocityPoints: 100 }),
    score: 100,
    reasons: ['geo.new_country:100', 'geo.impossible_travel:0', 'device.new:100', 'velocity.user:100'],
  },
];

describe('assessRisk', () => {
  for (const c of cases) {
    it(`${c.name}: ${c.score}`, () => {
      const assessment: RiskAssessment = assessRisk(c.signals, c.policy ?? DEFAULT_RISK_POLICY);
      assert.equal(assessment.score, c.score);
      assert.deepEqual(
        assessment.reasons.map((r) => `${r.rule}:${r.points}`),
        c.reasons,
      );
      for (const reason of assessment.reasons) assert.ok(reason.detail.length > 0);
    });
  }

  it('explains the scenario in words an analyst can read', () => {
    const { reasons } = assessRisk(newDeviceNewCountryAfterRecentLogin, DEFAULT_RISK_POLICY);
    assert.deepEqual(
      reasons.map((r) => r.detail),
      [
        'login from US, not seen before (seen: DE)',
        '6385 km from DE to US in 90 min: 4257 km/h, limit 900 km/h (geographic anomaly counted once)',
        'new device (unknown device cookie; Chrome 124 on Windows 10); 1 known device',
      ],
    );
  });

  it('never goes below 0 or returns a fraction', () => {
    const odd = resolveRiskPolicy({ newDevicePoints: 12.4, geoAnomalyPoints: -50 });
    assert.equal(assessRisk(newDeviceNewCountryAfterRecentLogin, odd).score, 0);
    assert.equal(assessRisk({ ...newDeviceNewCountryAfterRecentLogin, location: { kind: 'internal' } }, odd).score, 12);
  });

  it('is serialisable: the reasons survive JSON', () => {
    const assessment = assessRisk(newDeviceNewCountryAfterRecentLogin, DEFAULT_RISK_POLICY);
    assert.deepEqual(JSON.parse(JSON.stringify(assessment)), assessment);
  });
});
