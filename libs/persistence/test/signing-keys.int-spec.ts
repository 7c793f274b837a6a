import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { importPKCS8 } from 'jose';
import { Persistence, type Database, type Tenant } from '@gatehouse/persistence';
import { decryptPrivateKey, KeyRotation, privateKeyAssociatedData } from '@gatehouse/tokens';
import { databaseTargets, uniqueSlug } from '../../../test/support/index.js';

for (const target of databaseTargets()) {
  describe(`signing key store on ${target.name}`, { skip: target.skip }, () => {
    const kek = randomBytes(32);
    const rotation = new KeyRotation(kek);
    let database: Database;
    let persistence: Persistence;
    let tenant: Tenant;

    before(async () => {
      database = await target.open();
      persistence = new Persistence(database);
      const created = await persistence.repositories.tenants.insert({ slug: uniqueSlug('keys'), name: 'Keys' });
      assert.ok(created);
      tenant = created;
    });
    after(async () => {
      await database?.close();
    });

    it('stores initial keys encrypted, bound to tenant and kid, signing at once', async () => {
      const now = new Date('2026-01-01T00:00:00Z');
      const created = await rotation.createInitialKeys(persistence.repositories.signingKeys, tenant.id, ['ES256', 'RS256'], now);
      assert.deepEqual(
        created.map((k) => k.alg),
        ['ES256', 'RS256'],
      );
      const published = await persistence.repositories.signingKeys.findPublished(tenant.id, now);
      assert.equal(published.length, 2);
      for (const key of published) {
        assert.ok(!key.privateKeyCiphertext.includes('PRIVATE KEY'));
        assert.equal(key.activatesAt.getTime(), now.getTime());
        const pem = decryptPrivateKey(kek, key.privateKeyCiphertext, privateKeyAssociatedData(tenant.id, key.kid));
        await importPKCS8(pem, key.alg);
        assert.throws(() => decryptPrivateKey(kek, key.privateKeyCiphertext, privateKeyAssociatedData(tenant.id, 'other-kid')));
      }
    });

    it('rotation publishes new keys before they sign and keeps old ones until their tokens expire', async () => {
      const now = new Date('2026-02-01T00:00:00Z');
      const policy = { prepublicationSeconds: 300, maxTokenLifetimeSeconds: 3600 };
      const created = await rotation.rotate(persistence.repositories.signingKeys, tenant.id, ['ES256', 'RS256'], now, policy);
      const activation = new Date(now.getTime() + 300_000);
      assert.ok(created.every((k) => k.activatesAt.getTime() === activation.getTime()));

      const published = await persistence.repositories.signingKeys.findPublished(tenant.id, now);
      assert.equal(published.length, 4, 'old and new keys are both in the JWKS');
      const old = published.filter((k) => !created.some((c) => c.kid === k.kid));
      assert.equal(old.length, 2);
      for (const key of old) {
        assert.equal(key.deactivatesAt?.getTime(), activation.getTime());
        assert.equal(key.expiresAt?.getTime(), activation.getTime() + 3_600_000);
      }
      const afterExpiry = await persistence.repositories.signingKeys.findPublished(tenant.id, new Date(activation.getTime() + 3_600_001));
      assert.deepEqual(afterExpiry.map((k) => k.kid).sort(), created.map((k) => k.kid).sort());
    });
  });
}
