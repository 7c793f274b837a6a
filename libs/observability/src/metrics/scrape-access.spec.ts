import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { presentsToken } from './scrape-access.js';

describe('presentsToken', () => {
  const token = 'scrape-token-0123456789';

  it('without a configured token every scrape is let in', () => {
    assert.equal(presentsToken(undefined, undefined), true);
  });

  it('asks for exactly `Bearer <token>`', () => {
    assert.equal(presentsToken(`Bearer ${token}`, token), true);
    assert.equal(presentsToken(`bearer ${token}`, token), true);
    for (const header of [
      undefined,
      '',
      token,
      `Bearer ${token}x`,
      `Bearer ${token.slice(1)}`,
      `Basic ${token}`,
      `Bearer ${token} extra`,
    ]) {
      assert.equal(presentsToken(header, token), false, String(header));
    }
  });
});
