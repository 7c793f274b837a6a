import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newTokenId } from './jwt-claims.js';

describe('newTokenId', () => {
  it('gives 128-bit base64url ids, none repeated across many refills of the entropy pool', () => {
    const ids = Array.from({ length: 2_000 }, () => newTokenId());
    assert.ok(ids.every((id) => /^[A-Za-z0-9_-]{22}$/.test(id)));
    assert.equal(new Set(ids).size, ids.length);
  });
});
