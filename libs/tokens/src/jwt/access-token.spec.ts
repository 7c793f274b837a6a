import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import { asTenantId } from '@gatehouse/protocol';
import { KeyRotation } from '../keys/key-rotation.js';
import { FakeSigningKeyStorage } from '../signing/signing-key-storage.fake.js';
import { TenantKeyCache } from '../signing/tenant-key-cache.js';
import type { ActiveSigningKey } from '../signing/tenant-key-set.js';
import { mintAccessToken, type AccessTokenClaimsInput } from './access-token.minter.js';
import { verifyAccessToken } from './access-token.verifier.js';

const tenant = asTenantId('tenant-a');
const now = new Date('2026-03-01T12:00:00Z');
const kek = randomBytes(32);
const input: AccessTokenClaimsInput = {
  issuer: 'https://id.example.com/t/acme',
  subject: 'user-1',
  audience: 'https://api.example.com',
  clientId: 'client-1',
  scope: ['openid', 'orders:read'],
  authTime: new Date('2026-03-01T11:59:00Z'),
  now,
  lifetimeSeconds: 600,
};

describe('mintAccessToken (RFC 9068)', () => {
  let cache: TenantKeyCache;
  let key: ActiveSigningKey;

  before(async () => {
    const storage = new FakeSigningKeyStorage();
    await new KeyRotation(kek).createInitialKeys(storage, tenant, ['ES256', 'RS256'], now);
    cache = new TenantKeyCache(storage, kek, { now: () => now });
    key = await cache.signingKey(tenant, 'ES256');
  });

  it('has typ at+jwt and every required claim, and verifies with the public JWK from the JWKS', async () => {
    const token = await mintAccessToken(key, { ...input, extraClaims: { cnf: { jkt: 'thumbprint' } } });
    assert.deepEqual(decodeProtectedHeader(token), { alg: 'ES256', kid: key.kid, typ: 'at+jwt' });
    const jwk = (await cache.jwks(tenant)).keys.find((k) => k.kid === key.kid);
    assert.ok(jwk);
    const { payload } = await jwtVerify(token, await importJWK(jwk, 'ES256'), { currentDate: now });
    const { jti, ...rest } = payload;
    assert.deepEqual(rest, {
      iss: input.issuer,
      sub: 'user-1',
      aud: 'https://api.example.com',
      exp: now.getTime() / 1000 + 600,
      iat: now.getTime() / 1000,
      client_id: 'client-1',
      scope: 'openid orders:read',
      auth_time: Date.parse('2026-03-01T11:59:00Z') / 1000,
      cnf: { jkt: 'thumbprint' },
    });
    assert.match(String(jti), /^[A-Za-z0-9_-]{22,}$/, 'at least 128 bits, base64url');
  });

  it('verifies with verifyAccessToken and the cache’s verification key', async () => {
    const token = await mintAccessToken(key, { ...input, audience: ['https://api.example.com', 'https://other.example.com'] });
    const claims = await verifyAccessToken(token, {
      issuer: input.issuer,
      audience: 'https://other.example.com',
      keyFor: (kid) => cache.verificationKey(tenant, kid),
      now,
      algorithms: ['ES256', 'RS256'],
    });
    assert.equal(claims.client_id, 'client-1');
    assert.deepEqual(claims.aud, ['https://api.example.com', 'https://other.example.com']);
  });

  it('omits scope when empty and auth_time when not given; jti differs every time', async () => {
    const { authTime: _authTime, ...withoutAuthTime } = input;
    const tokens = await Promise.all([1, 2].map(() => mintAccessToken(key, { ...withoutAuthTime, scope: [] })));
    const payloads = tokens.map(
      (token) => JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>,
    );
    for (const payload of payloads) assert.equal('scope' in payload || 'auth_time' in payload, false);
    assert.notEqual(payloads[0]?.['jti'], payloads[1]?.['jti']);
  });

  it('never lets an extra claim replace a registered one, and refuses a bad lifetime or no audience', async () => {
    const token = await mintAccessToken(key, { ...input, extraClaims: { iss: 'https://evil.example', client_id: 'other' } });
    const publicKey = await cache.verificationKey(tenant, key.kid);
    assert.ok(publicKey);
    const { payload } = await jwtVerify(token, publicKey, { currentDate: now });
    assert.deepEqual([payload.iss, payload['client_id']], [input.issuer, 'client-1']);
    await assert.rejects(mintAccessToken(key, { ...input, lifetimeSeconds: 0 }), RangeError);
    await assert.rejects(mintAccessToken(key, { ...input, audience: [] }), RangeError);
  });
});
