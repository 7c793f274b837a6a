import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RATE_LIMIT_POLICY_BOUNDS, resolveRateLimitPolicy } from '@gatehouse/protocol';
import { RISK_POLICY_BOUNDS } from '@gatehouse/risk';
import { AdminProblem } from '../errors/admin-problem.js';
import { parsePolicyOverrides, presentPolicy } from './tenant-policy.js';

function fieldOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof AdminProblem);
    assert.equal(error.code, 'validation_failed');
    return error.field;
  }
  assert.fail('expected a validation problem');
}

describe('tenant policy overrides on the wire', () => {
  it('maps snake_case wire names to the camelCase settings, bounds inclusive', () => {
    assert.deepEqual(parsePolicyOverrides('risk_policy', { geo_anomaly_points: 0, impossible_travel_kmh: 20_000 }, RISK_POLICY_BOUNDS), {
      geoAnomalyPoints: 0,
      impossibleTravelKmh: 20_000,
    });
    assert.deepEqual(parsePolicyOverrides('risk_policy', {}, RISK_POLICY_BOUNDS), {});
    assert.equal(parsePolicyOverrides('risk_policy', undefined, RISK_POLICY_BOUNDS), undefined);
    assert.equal(parsePolicyOverrides('risk_policy', null, RISK_POLICY_BOUNDS), undefined);
  });

  it('names the offending member', () => {
    const parse = (value: unknown) => () => parsePolicyOverrides('rate_limit_policy', value, RATE_LIMIT_POLICY_BOUNDS);
    assert.equal(fieldOf(parse({ foo: 1 })), 'rate_limit_policy.foo');
    assert.equal(fieldOf(parse({ lockoutThreshold: 5 })), 'rate_limit_policy.lockoutThreshold', 'camelCase is not a wire name');
    assert.equal(fieldOf(parse(JSON.parse('{"__proto__": 5}'))), 'rate_limit_policy.__proto__');
    assert.equal(fieldOf(parse({ constructor: 5 })), 'rate_limit_policy.constructor');
    assert.equal(fieldOf(parse({ lockout_threshold: 0 })), 'rate_limit_policy.lockout_threshold');
    assert.equal(fieldOf(parse({ lockout_threshold: 1.5 })), 'rate_limit_policy.lockout_threshold');
    assert.equal(fieldOf(parse({ lockout_threshold: '5' })), 'rate_limit_policy.lockout_threshold');
    assert.equal(fieldOf(parse({ lockout_threshold: Number.NaN })), 'rate_limit_policy.lockout_threshold');
    assert.equal(fieldOf(parse([5])), 'rate_limit_policy');
    assert.equal(fieldOf(parse('strict')), 'rate_limit_policy');
  });

  it('bounds hard_lock_threshold to 10..100: NIST SP 800-63B §5.2.2 allows no more than 100 consecutive failures', () => {
    const parse = (value: unknown) => () => parsePolicyOverrides('rate_limit_policy', value, RATE_LIMIT_POLICY_BOUNDS);
    assert.equal(fieldOf(parse({ hard_lock_threshold: 101 })), 'rate_limit_policy.hard_lock_threshold');
    assert.equal(fieldOf(parse({ hard_lock_threshold: 9 })), 'rate_limit_policy.hard_lock_threshold');
    assert.deepEqual(parse({ hard_lock_threshold: 100 })(), { hardLockThreshold: 100 });
    assert.deepEqual(parse({ hard_lock_threshold: 10 })(), { hardLockThreshold: 10 });
    assert.equal(presentPolicy(resolveRateLimitPolicy({}))['hard_lock_threshold'], 100);
  });

  it('presents a resolved policy with wire names', () => {
    const shown = presentPolicy(resolveRateLimitPolicy({ lockoutThreshold: 3 }));
    assert.equal(shown['lockout_threshold'], 3);
    assert.equal(shown['token_requests_per_client_per_minute'], 6_000);
  });
});
