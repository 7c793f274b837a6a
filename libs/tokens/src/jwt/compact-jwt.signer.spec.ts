import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { compactVerify, decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import { asTenantId } from '@gatehouse/protocol';
import { KeyRotation } from '../keys/key-rotation.js';
import { SIGNING_ALGORITHMS } from '../keys/signing-algorithm.js';
import { FakeSigningKeyStorage } from '../signing/signing-key-storage.fake.js';
import { TenantKeyCache } from '../signing/tenant-key-cache.js';
import type { ActiveSigningKey } from '../signing/tenant-key-set.js';
import { signCompactJwt } from './compact-jwt.signer.js';

const tenant = asTenantId('tenant-a');
const now = new Date('2026-03-01T12:00:00Z');
const claims = { iss: 'https://id.example.com/t/acme', sub: 'ü-1', aud: 'https://api', iat: 1772366400, exp: 1772367000 };

describe('signCompactJwt (RFC 7515 compact serialization with node:crypto)', () => {
  for (const alg of SIGNING_ALGORITHMS) {
    it(`${alg}: jose verifies it against the published key, with the header and claims as given`, async () => {
      const storage = new FakeSigningKeyStorage();
      const kek = randomBytes(32);
      await new KeyRotation(kek).createInitialKeys(storage, tenant, [alg], now);
      const cache = new TenantKeyCache(storage, kek, { now: () => now });
      const key = await cache.signingKey(tenant, alg);
      const token = await signCompactJwt(key, 'at+jwt', claims);
      assert.deepEqual(decodeProtectedHeader(token), { alg, kid: key.kid, typ: 'at+jwt' });
      const jwk = (await cache.jwks(tenant)).keys.find((k) => k.kid === key.kid);
      assert.ok(jwk);
      const { payload } = await jwtVerify(token, await importJWK(jwk, alg), { currentDate: now, algorithms: [alg] });
      assert.deepEqual(payload, claims);
    });
  }

  it('a key node:crypto cannot use for the algorithm rejects, on the event loop (ES256) or the thread pool (RS256)', async () => {
    // Ed25519 takes no digest: node:crypto refuses SHA-256 with it.
    const ed = generateKeyPairSync('ed25519').privateKey;
    const refused = { message: /invalid digest/ };
    await assert.rejects(signCompactJwt({ alg: 'RS256', kid: 'k', privateKey: ed } as unknown as ActiveSigningKey, 'JWT', claims), refused);
    await assert.rejects(signCompactJwt({ alg: 'ES256', kid: 'k', privateKey: ed } as unknown as ActiveSigningKey, 'JWT', claims), refused);
    // Claims JSON cannot carry reject too, before any key is used.
    await assert.rejects(
      signCompactJwt({ alg: 'RS256', kid: 'k', privateKey: ed } as unknown as ActiveSigningKey, 'JWT', { n: 1n }),
      TypeError,
    );
  });

  it('a changed payload no longer verifies', async () => {
    const storage = new FakeSigningKeyStorage();
    const kek = randomBytes(32);
    await new KeyRotation(kek).createInitialKeys(storage, tenant, ['ES256'], now);
    const cache = new TenantKeyCache(storage, kek, { now: () => now });
    const key = await cache.signingKey(tenant, 'ES256');
    const [header, , signature] = (await signCompactJwt(key, 'JWT', claims)).split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: 'admin' })).toString('base64url')}.${signature}`;
    const jwk = (await cache.jwks(tenant)).keys.find((k) => k.kid === key.kid);
    assert.ok(jwk);
    await assert.rejects(compactVerify(forged, await importJWK(jwk, 'ES256')), { code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });
  });
});
