import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateClientId } from './client-id.js';
import { generateOpaqueSecret, hashOpaqueSecret, verifyOpaqueSecret } from './opaque-secret.js';
import { hashPassword, verifyPassword } from './password-hasher.js';
import { passwordWeakness } from './password-policy.js';

describe('opaque secrets', () => {
  it('are 256-bit base64url strings, stored as a hash that verifies only the original', () => {
    const secret = generateOpaqueSecret();
    assert.equal(Buffer.from(secret, 'base64url').length, 32);
    const stored = hashOpaqueSecret(secret);
    assert.notEqual(stored, secret);
    assert.equal(verifyOpaqueSecret(secret, stored), true);
    assert.equal(verifyOpaqueSecret(`${secret}x`, stored), false);
    assert.equal(verifyOpaqueSecret(secret, 'short'), false);
  });
});

describe('client ids', () => {
  it('are 128 random bits, base64url, and never start with a dash or an underscore (one in 32 would)', () => {
    const ids = Array.from({ length: 2_000 }, () => generateClientId());
    for (const id of ids) {
      assert.match(id, /^[A-Za-z0-9][A-Za-z0-9_-]{21}$/);
      assert.equal(Buffer.from(id, 'base64url').length, 16);
    }
    assert.equal(new Set(ids).size, ids.length);
  });
});

describe('password hashing', () => {
  it('uses argon2id with the OWASP parameters and verifies only the right password', async () => {
    const stored = await hashPassword('correct horse battery staple');
    assert.match(stored, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    assert.equal(await verifyPassword(stored, 'correct horse battery staple'), true);
    assert.equal(await verifyPassword(stored, 'Correct horse battery staple'), false);
    assert.equal(await verifyPassword('not-a-hash', 'anything'), false);
  });
});

describe('password policy', () => {
  it('refuses empty, short, common, repetitive and username-bearing passwords', () => {
    assert.match(passwordWeakness('') ?? '', /empty/);
    assert.match(passwordWeakness('short') ?? '', /at least 12/);
    assert.match(passwordWeakness('password1234') ?? '', /common/);
    assert.match(passwordWeakness('aaaaaaaaaaaaaaaa') ?? '', /common/);
    assert.match(passwordWeakness('alice-likes-long-words', 'alice') ?? '', /username/);
    assert.match(passwordWeakness('x'.repeat(257)) ?? '', /at most/);
  });
  it('accepts a long passphrase', () => {
    assert.equal(passwordWeakness('correct horse battery staple', 'alice'), null);
  });
});
