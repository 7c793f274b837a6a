import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { importJWK, jwtVerify } from 'jose';
import { generateSigningKey } from '../keys/key-generator.js';
import { privateKeyFor } from '../signing/tenant-key-set.js';
import type { SigningAlgorithm } from '../keys/signing-algorithm.js';
import { mintIdToken, type IdTokenClaimsInput } from './id-token.minter.js';

const now = new Date('2026-03-01T12:00:00Z');
const input: IdTokenClaimsInput = {
  issuer: 'https://id.example.com/t/acme',
  subject: 'user-1',
  clientId: 'client-1',
  authTime: new Date('2026-03-01T11:59:00Z'),
  nonce: 'n-0S6_WzA2Mj',
  now,
  lifetimeSeconds: 300,
};

async function keyPair(alg: SigningAlgorithm) {
  const generated = await generateSigningKey(alg);
  const signing = { kid: generated.kid, alg, privateKey: privateKeyFor(generated.privateKeyPkcs8, alg) };
  return { signing, publicKey: await importJWK(generated.publicJwk, alg) };
}

function leftHalf(hash: 'sha256' | 'sha512', value: string): string {
  const digest = createHash(hash).update(value).digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

describe('mintIdToken (OIDC Core §2, §3.1.3.6)', () => {
  it('carries the required claims, nonce, azp, at_hash and c_hash', async () => {
    const { signing, publicKey } = await keyPair('RS256');
    const token = await mintIdToken(signing, {
      ...input,
      accessToken: 'access-token-value',
      code: 'code-value',
      acr: 'urn:gh:pwd',
      amr: ['pwd'],
    });
    const { payload, protectedHeader } = await jwtVerify(token, publicKey, { currentDate: now });
    assert.deepEqual(protectedHeader, { alg: 'RS256', kid: signing.kid, typ: 'JWT' });
    assert.deepEqual(payload, {
      iss: input.issuer,
      sub: 'user-1',
      aud: 'client-1',
      exp: now.getTime() / 1000 + 300,
      iat: now.getTime() / 1000,
      auth_time: Date.parse('2026-03-01T11:59:00Z') / 1000,
      nonce: 'n-0S6_WzA2Mj',
      azp: 'client-1',
      acr: 'urn:gh:pwd',
      amr: ['pwd'],
      at_hash: leftHalf('sha256', 'access-token-value'),
      c_hash: leftHalf('sha256', 'code-value'),
    });
  });

  it('omits nonce, at_hash and c_hash when there is nothing to bind', async () => {
    const { signing, publicKey } = await keyPair('ES256');
    const { nonce: _nonce, ...withoutNonce } = input;
    const { payload } = await jwtVerify(await mintIdToken(signing, withoutNonce), publicKey, { currentDate: now });
    for (const claim of ['nonce', 'at_hash', 'c_hash', 'acr', 'amr']) assert.equal(claim in payload, false, claim);
  });

  it('hashes at_hash with SHA-512 under EdDSA', async () => {
    const { signing, publicKey } = await keyPair('EdDSA');
    const { payload } = await jwtVerify(await mintIdToken(signing, { ...input, accessToken: 'at' }), publicKey, { currentDate: now });
    assert.equal(payload['at_hash'], leftHalf('sha512', 'at'));
  });

  it('passes profile claims through but never lets them replace a registered claim', async () => {
    const { signing, publicKey } = await keyPair('ES256');
    const extraClaims = { email: 'a@example.com', email_verified: true, sub: 'someone-else', nonce: 'forged', aud: 'evil' };
    const { payload } = await jwtVerify(await mintIdToken(signing, { ...input, extraClaims }), publicKey, { currentDate: now });
    assert.equal(payload['email'], 'a@example.com');
    assert.equal(payload['email_verified'], true);
    assert.deepEqual([payload.sub, payload['nonce'], payload.aud], ['user-1', 'n-0S6_WzA2Mj', 'client-1']);
  });
});
