import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { USER_CODE_ALPHABET, codeHash, formatUserCode, generateUserCode, normalizeUserCode } from './user-code.js';

describe('device user codes', () => {
  it('are 8 characters from the consonant alphabet', () => {
    for (let i = 0; i < 200; i++) {
      const code = generateUserCode();
      assert.equal(code.length, 8);
      for (const ch of code) assert.ok(USER_CODE_ALPHABET.includes(ch), ch);
    }
  });

  it('are shown as XXXX-XXXX', () => {
    assert.equal(formatUserCode('BCDFGHJK'), 'BCDF-GHJK');
  });

  it('are accepted with or without dash, in any case', () => {
    assert.equal(normalizeUserCode('bcdf-ghjk'), 'BCDFGHJK');
    assert.equal(normalizeUserCode('BCDFGHJK'), 'BCDFGHJK');
    assert.equal(normalizeUserCode(' bcdf ghjk '), 'BCDFGHJK');
  });

  it('refuses what cannot be a user code', () => {
    assert.equal(normalizeUserCode('BCDF-GHJ'), undefined);
    assert.equal(normalizeUserCode('ABCD-EFGH'), undefined);
    assert.equal(normalizeUserCode('BCDF-GHJK-L'), undefined);
    assert.equal(normalizeUserCode(''), undefined);
  });

  it('are stored as SHA-256 hex', () => {
    assert.match(codeHash('BCDFGHJK'), /^[0-9a-f]{64}$/);
    assert.notEqual(codeHash('BCDFGHJK'), codeHash('BCDFGHJL'));
  });
});
