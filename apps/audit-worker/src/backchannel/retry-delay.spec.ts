import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { retryDelayMs } from './retry-delay.js';

describe('retryDelayMs', () => {
  it('doubles with each attempt from 2 s, capped at five minutes', () => {
    const middle = () => 0.5;
    assert.deepEqual(
      [1, 2, 3, 4, 5, 8, 9, 20].map((attempts) => retryDelayMs(attempts, middle)),
      [2_000, 4_000, 8_000, 16_000, 32_000, 256_000, 300_000, 300_000],
    );
  });

  it('jitters by at most 20% either way', () => {
    assert.equal(
      retryDelayMs(3, () => 0),
      6_400,
    );
    assert.equal(
      retryDelayMs(3, () => 0.999999),
      9_600,
    );
    for (let i = 0; i < 100; i++) {
      const delay = retryDelayMs(10);
      assert.ok(delay >= 240_000 && delay <= 360_000, String(delay));
    }
  });
});
