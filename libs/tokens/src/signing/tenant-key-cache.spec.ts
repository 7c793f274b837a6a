import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { beforeEach, describe, it } from 'node:test';
import { compactVerify, CompactSign, importJWK } from 'jose';
import { asTenantId } from '@gatehouse/protocol';
import { KeyRotation } from '../keys/key-rotation.js';
import { FakeSigningKeyStorage } from './signing-key-storage.fake.js';
import { TenantKeyCache } from './tenant-key-cache.js';

const tenantA = asTenantId('tenant-a');
const tenantB = asTenantId('tenant-b');
const start = new Date('2026-03-01T00:00:00Z');
const policy = { prepublicationSeconds: 300, maxTokenLifetimeSeconds: 3600 };
const kek = randomBytes(32);
const rotation = new KeyRotation(kek);
const later = (seconds: number) => new Date(start.getTime() + seconds * 1000);

describe('TenantKeyCache: which key signs and which keys are published', () => {
  let storage: FakeSigningKeyStorage;
  let clock: Date;
  let cache: TenantKeyCache;

  beforeEach(async () => {
    storage = new FakeSigningKeyStorage();
    clock = start;
    // Long enough that the switch at activation below is computed from cached rows alone.
    cache = new TenantKeyCache(storage, kek, { now: () => clock, refreshIntervalMs: 3_600_000 });
    await rotation.createInitialKeys(storage, tenantA, ['ES256', 'RS256'], start);
    await rotation.createInitialKeys(storage, tenantB, ['ES256', 'RS256'], start);
  });

  it('signs with the key of the requested algorithm, verifiable with its public JWK from the JWKS', async () => {
    const key = await cache.signingKey(tenantA, 'RS256');
    assert.equal(key.alg, 'RS256');
    const jwks = await cache.jwks(tenantA);
    assert.equal(jwks.keys.length, 2);
    const jwk = jwks.keys.find((k) => k.kid === key.kid);
    assert.ok(jwk);
    assert.deepEqual([jwk.alg, jwk.use], ['RS256', 'sig']);
    for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth']) assert.equal(member in jwk, false);
    const jws = await new CompactSign(new TextEncoder().encode('x'))
      .setProtectedHeader({ alg: key.alg, kid: key.kid })
      .sign(key.privateKey);
    await compactVerify(jws, await importJWK(jwk, 'RS256'));
  });

  it('keeps signing with the current key while the successor is pre-published, then switches at activation', async () => {
    const before = await cache.signingKey(tenantA, 'ES256');
    clock = later(60);
    const [successor] = await rotation.rotate(storage, tenantA, ['ES256'], clock, policy);
    assert.ok(successor);
    cache.invalidate(tenantA);

    assert.equal((await cache.signingKey(tenantA, 'ES256')).kid, before.kid, 'the pre-published key does not sign yet');
    const overlap = (await cache.jwks(tenantA)).keys.map((k) => k.kid);
    assert.ok(overlap.includes(before.kid) && overlap.includes(successor.kid), 'old and new are both published');
    assert.equal(overlap.length, 3);

    const reads = storage.findPublishedCalls;
    clock = successor.activatesAt;
    assert.equal((await cache.signingKey(tenantA, 'ES256')).kid, successor.kid);
    assert.equal(storage.findPublishedCalls, reads, 'the switch needs no read: the rows are already cached');

    clock = new Date(successor.activatesAt.getTime() + policy.maxTokenLifetimeSeconds * 1000 + 1);
    const afterExpiry = (await cache.jwks(tenantA)).keys.map((k) => k.kid);
    assert.equal(afterExpiry.includes(before.kid), false, 'the old key leaves the JWKS once its tokens have expired');
    assert.ok(afterExpiry.includes(successor.kid));
  });

  it('verifies with the old key during the overlap and the new one after', async () => {
    const old = await cache.signingKey(tenantA, 'ES256');
    const [successor] = await rotation.rotate(storage, tenantA, ['ES256'], clock, policy);
    assert.ok(successor);
    cache.invalidate(tenantA);
    assert.ok(await cache.verificationKey(tenantA, old.kid));
    assert.ok(await cache.verificationKey(tenantA, successor.kid));
    assert.equal(await cache.verificationKey(tenantA, 'no-such-kid'), null);
  });

  it('never hands one tenant another tenant’s key', async () => {
    const kidsOf = (tenant: typeof tenantA) => storage.all(tenant).map((row) => row.kid);
    for (const alg of ['ES256', 'RS256'] as const) {
      assert.ok(kidsOf(tenantA).includes((await cache.signingKey(tenantA, alg)).kid));
      assert.ok(kidsOf(tenantB).includes((await cache.signingKey(tenantB, alg)).kid));
    }
    assert.deepEqual((await cache.jwks(tenantB)).keys.map((k) => k.kid).sort(), kidsOf(tenantB).sort());
    for (const kid of kidsOf(tenantA)) assert.equal(await cache.verificationKey(tenantB, kid), null);
  });

  it('refuses a key row copied from another tenant: the ciphertext is bound to tenant and kid', async () => {
    const stolen = storage.all(tenantA).find((row) => row.alg === 'ES256');
    assert.ok(stolen);
    await storage.insert(tenantB, { ...stolen, activatesAt: later(1) });
    clock = later(1);
    await assert.rejects(cache.signingKey(tenantB, 'ES256'), /of tenant tenant-b does not decrypt/);
  });

  it('says clearly when a tenant has no key for the algorithm', async () => {
    await assert.rejects(cache.signingKey(tenantA, 'EdDSA'), /Tenant tenant-a has no active EdDSA signing key/);
    await assert.rejects(cache.signingKey(asTenantId('tenant-none'), 'ES256'), /no active ES256 signing key/);
  });
});
