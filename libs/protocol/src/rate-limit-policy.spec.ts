import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_RATE_LIMIT_POLICY, resolveRateLimitPolicy } from './rate-limit-policy.js';

describe('resolveRateLimitPolicy', () => {
  it('the specification defaults', () => {
    const policy = resolveRateLimitPolicy({});
    assert.equal(policy.authorizeRequestsPerClientIpPerHour, 100);
    assert.equal(policy.codeExchangesPerClientIpPerMinute, 10);
    assert.equal(policy.refreshesPerFamilyPerHour, 50);
    assert.equal(policy.tokenRequestsPerClientPerMinute, DEFAULT_RATE_LIMIT_POLICY.tokenRequestsPerClientPerMinute);
  });

  it('a client override wins over the tenant one, for endpoint limits only', () => {
    const policy = resolveRateLimitPolicy(
      { codeExchangesPerClientIpPerMinute: 20, lockoutThreshold: 5 },
      { codeExchangesPerClientIpPerMinute: 3, lockoutThreshold: 99, refreshesPerFamilyPerHour: 'x' },
    );
    assert.equal(policy.codeExchangesPerClientIpPerMinute, 3);
    assert.equal(policy.lockoutThreshold, 5, 'the lockout is the tenant’s, not a client’s');
    assert.equal(policy.refreshesPerFamilyPerHour, 50, 'a non-number is ignored');
  });
});
