import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { retryDelay } from './retry-policy.js';

const options = { baseMs: 100, maxMs: 10_000 };
const almostOne = 1 - Number.EPSILON;

describe('retryDelay (exponential backoff, full jitter)', () => {
  it('is zero at the bottom of the jitter range', () => {
    for (const attempt of [1, 2, 10, 100]) assert.equal(retryDelay(attempt, { ...options, random: () => 0 }), 0);
  });

  it('doubles its ceiling per attempt up to maxMs, never reaching it', () => {
    const top = (attempt: number): number => retryDelay(attempt, { ...options, random: () => almostOne });
    assert.deepEqual([1, 2, 3, 4, 7, 8, 9, 50, 5000].map(top), [99, 199, 399, 799, 6399, 9999, 9999, 9999, 9999]);
  });

  it('is uniform in between', () => {
    assert.equal(retryDelay(3, { ...options, random: () => 0.5 }), 200);
    assert.equal(retryDelay(1, { ...options, random: () => 0.25 }), 25);
  });

  it('stays an integer in [0, ceiling) with the real random, and tolerates out-of-range randoms', () => {
    for (let i = 0; i < 1000; i++) {
      const delay = retryDelay(4, options);
      assert.ok(Number.isInteger(delay) && delay >= 0 && delay < 800, String(delay));
    }
    assert.equal(retryDelay(2, { ...options, random: () => 7 }), 199);
    assert.equal(retryDelay(2, { ...options, random: () => -1 }), 0);
    assert.equal(retryDelay(0, { ...options, random: () => 0.5 }), 50);
  });
});
