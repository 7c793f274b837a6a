import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { decryptPrivateKey, encryptPrivateKey } from './key-encryption.js';

const kek = randomBytes(32);

describe('private key encryption (AES-256-GCM)', () => {
  it('round-trips and never stores the plaintext', () => {
    const sealed = encryptPrivateKey(kek, '-----BEGIN PRIVATE KEY-----secret', 'tenant-a:kid-1');
    assert.ok(!sealed.includes('secret'));
    assert.equal(decryptPrivateKey(kek, sealed, 'tenant-a:kid-1'), '-----BEGIN PRIVATE KEY-----secret');
  });

  it('uses a fresh IV each time', () => {
    assert.notEqual(encryptPrivateKey(kek, 'same', 'aad'), encryptPrivateKey(kek, 'same', 'aad'));
  });

  it('refuses another row’s associated data, another key, and a tampered ciphertext', () => {
    const sealed = encryptPrivateKey(kek, 'pkcs8', 'tenant-a:kid-1');
    assert.throws(() => decryptPrivateKey(kek, sealed, 'tenant-b:kid-1'));
    assert.throws(() => decryptPrivateKey(randomBytes(32), sealed, 'tenant-a:kid-1'));
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3] ?? '', 'base64url');
    body[0] = (body[0] ?? 0) ^ 1;
    parts[3] = body.toString('base64url');
    assert.throws(() => decryptPrivateKey(kek, parts.join('.'), 'tenant-a:kid-1'));
    assert.throws(() => decryptPrivateKey(kek, 'v0.a.b.c', 'tenant-a:kid-1'), /Unrecognised/);
  });
});
