import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Persistence, type Client, type Database, type Tenant } from '@gatehouse/persistence';
import { databaseTargets, uniqueSlug } from '../../../test/support/index.js';

/** The client repository's conditional writes: metadata updates by version, secret rotation by current hash; both tenant-scoped. */
for (const target of databaseTargets()) {
  describe(`client updates and secret rotation on ${target.name}`, { skip: target.skip }, () => {
    let database: Database;
    let persistence: Persistence;
    let tenant: Tenant;
    let other: Tenant;
    let client: Client;

    before(async () => {
      database = await target.open();
      persistence = new Persistence(database);
      const [a, b] = await Promise.all([
        persistence.repositories.tenants.insert({ slug: uniqueSlug('rot-a'), name: 'A' }),
        persistence.repositories.tenants.insert({ slug: uniqueSlug('rot-b'), name: 'B' }),
      ]);
      assert.ok(a && b);
      [tenant, other] = [a, b];
      client = await persistence.repositories.clients.insert(tenant.id, {
        clientId: 'rotating-client',
        name: 'Rotating',
        applicationType: 'web',
        tokenEndpointAuthMethod: 'client_secret_basic',
        secretHash: 'first'.padEnd(43, '1'),
        redirectUris: ['https://app.example.com/cb'],
        grantTypes: ['authorization_code'],
        scopes: ['openid'],
        jwks: null,
        firstParty: false,
      });
    });
    after(async () => {
      await database?.close();
    });

    it('updateIfUnchanged writes only the version the caller read, and bumps it', async () => {
      const { clients } = persistence.repositories;
      const updated = await clients.updateIfUnchanged(tenant.id, client.clientId, client.updatedAt, { name: 'Renamed' });
      assert.equal(updated?.name, 'Renamed');
      assert.ok(updated && updated.updatedAt > client.updatedAt);
      assert.equal(await clients.updateIfUnchanged(tenant.id, client.clientId, client.updatedAt, { name: 'Stale' }), null);
      assert.equal((await clients.findByClientId(tenant.id, client.clientId))?.name, 'Renamed');
      client = updated;
    });

    it('rotateSecret keeps the replaced hash with its expiry, once per read hash', async () => {
      const { clients } = persistence.repositories;
      const expiresAt = new Date(Date.now() + 60_000);
      const rotated = await clients.rotateSecret(tenant.id, client.clientId, {
        expectedSecretHash: 'first'.padEnd(43, '1'),
        newSecretHash: 'second'.padEnd(43, '2'),
        previousSecretExpiresAt: expiresAt,
      });
      assert.equal(rotated?.secretHash, 'second'.padEnd(43, '2'));
      assert.equal(rotated?.previousSecretHash, 'first'.padEnd(43, '1'));
      assert.equal(rotated?.previousSecretExpiresAt?.getTime(), expiresAt.getTime());
      const concurrent = await clients.rotateSecret(tenant.id, client.clientId, {
        expectedSecretHash: 'first'.padEnd(43, '1'),
        newSecretHash: 'third'.padEnd(43, '3'),
        previousSecretExpiresAt: expiresAt,
      });
      assert.equal(concurrent, null, 'a rotation based on a stale read does nothing');
      assert.deepEqual(await clients.findSecrets(tenant.id, client.clientId), {
        secretHash: 'second'.padEnd(43, '2'),
        previousSecretHash: 'first'.padEnd(43, '1'),
        previousSecretExpiresAt: expiresAt,
      });
    });

    it("tenant B can neither read the secrets of, update nor rotate tenant A's client", async () => {
      const { clients } = persistence.repositories;
      const current = await clients.findByClientId(tenant.id, client.clientId);
      assert.ok(current);
      assert.equal(await clients.findSecrets(other.id, client.clientId), null);
      assert.equal(await clients.updateIfUnchanged(other.id, client.clientId, current.updatedAt, { name: 'Hijacked' }), null);
      const hijack = await clients.rotateSecret(other.id, client.clientId, {
        expectedSecretHash: 'second'.padEnd(43, '2'),
        newSecretHash: 'evil'.padEnd(43, 'e'),
        previousSecretExpiresAt: new Date(Date.now() + 60_000),
      });
      assert.equal(hijack, null);
      assert.deepEqual(await clients.findByClientId(tenant.id, client.clientId), current, 'nothing changed');
    });
  });
}
