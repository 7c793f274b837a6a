import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { beforeEach, describe, it } from 'node:test';
import { asTenantId } from '@gatehouse/protocol';
import { KeyRotation } from '../keys/key-rotation.js';
import { FakeSigningKeyStorage } from './signing-key-storage.fake.js';
import { TenantKeyCache } from './tenant-key-cache.js';

const tenant = asTenantId('tenant-a');
const start = new Date('2026-03-01T00:00:00Z');
const kek = randomBytes(32);
const rotation = new KeyRotation(kek);
const later = (ms: number) => new Date(start.getTime() + ms);

describe('TenantKeyCache: reads storage and imports keys only when it must', () => {
  let storage: FakeSigningKeyStorage;
  let clock: Date;
  let cache: TenantKeyCache;

  beforeEach(async () => {
    storage = new FakeSigningKeyStorage();
    clock = start;
    cache = new TenantKeyCache(storage, kek, { now: () => clock, refreshIntervalMs: 60_000, unknownKeyRetryMs: 1_000 });
    await rotation.createInitialKeys(storage, tenant, ['ES256', 'RS256'], start);
  });

  it('reads once and imports once across 100 signing calls', async () => {
    const first = await cache.signingKey(tenant, 'ES256');
    for (let i = 0; i < 99; i += 1) {
      const again = await cache.signingKey(tenant, 'ES256');
      assert.equal(again.privateKey, first.privateKey, 'the same imported key every time');
    }
    await cache.jwks(tenant);
    await cache.verificationKey(tenant, first.kid);
    assert.equal(storage.findPublishedCalls, 1);
  });

  it('concurrent first calls share one read and one import', async () => {
    const keys = await Promise.all(Array.from({ length: 20 }, () => cache.signingKey(tenant, 'ES256')));
    assert.equal(storage.findPublishedCalls, 1);
    assert.ok(keys.every((key) => key.privateKey === keys[0]?.privateKey));
  });

  it('invalidate() makes the next call read again and sees a rotation at once', async () => {
    await cache.signingKey(tenant, 'ES256');
    await rotation.createInitialKeys(storage, tenant, ['EdDSA'], start);
    await assert.rejects(cache.signingKey(tenant, 'EdDSA'), /no active EdDSA/, 'not seen before invalidation');
    cache.invalidate(tenant);
    assert.equal((await cache.signingKey(tenant, 'EdDSA')).alg, 'EdDSA');
    assert.equal(storage.findPublishedCalls, 2);
  });

  it('reads again once the rows are older than refreshIntervalMs, keeping keys already imported', async () => {
    const first = await cache.signingKey(tenant, 'ES256');
    clock = later(59_999);
    await cache.signingKey(tenant, 'ES256');
    assert.equal(storage.findPublishedCalls, 1);
    clock = later(60_000);
    const [a, b] = await Promise.all([cache.signingKey(tenant, 'ES256'), cache.signingKey(tenant, 'ES256')]);
    assert.equal(storage.findPublishedCalls, 2, 'concurrent callers share the refresh');
    assert.equal(a.privateKey, first.privateKey, 'an unchanged key is not imported again');
    assert.equal(b.privateKey, first.privateKey);
  });

  it('an unknown kid reads again, at most once per unknownKeyRetryMs', async () => {
    await cache.jwks(tenant);
    const [created] = await rotation.createInitialKeys(storage, tenant, ['EdDSA'], start);
    assert.ok(created);
    assert.equal(await cache.verificationKey(tenant, created.kid), null, 'just read: no second read yet');
    assert.equal(storage.findPublishedCalls, 1);
    clock = later(1_000);
    assert.ok(await cache.verificationKey(tenant, created.kid));
    assert.equal(storage.findPublishedCalls, 2);
    for (let i = 0; i < 10; i += 1) assert.equal(await cache.verificationKey(tenant, `made-up-${i}`), null);
    assert.equal(storage.findPublishedCalls, 2, 'made-up kids do not hammer storage');
  });

  it('does not cache a failed read', async () => {
    storage.failReads = true;
    await assert.rejects(cache.jwks(tenant), /storage unavailable/);
    storage.failReads = false;
    assert.equal((await cache.jwks(tenant)).keys.length, 2);
  });
});
