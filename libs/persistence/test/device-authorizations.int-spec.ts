import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Persistence, type Database, type Tenant } from '@gatehouse/persistence';
import { databaseTargets, uniqueSlug } from '../../../test/support/index.js';

/** RFC 8628 state in the database: one decision, one redemption, slow_down and expiry decided per poll, tenant-scoped. */
for (const target of databaseTargets()) {
  describe(`device authorizations on ${target.name}`, { skip: target.skip }, () => {
    let database: Database;
    let persistence: Persistence;
    let tenant: Tenant;
    let other: Tenant;
    let userId: string;
    const start = new Date('2026-12-05T10:00:00Z');
    const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);

    before(async () => {
      database = await target.open();
      persistence = new Persistence(database);
      const created = await persistence.repositories.tenants.insert({ slug: uniqueSlug('device'), name: 'Devices' });
      const second = await persistence.repositories.tenants.insert({ slug: uniqueSlug('device-other'), name: 'Other' });
      assert.ok(created && second);
      tenant = created;
      other = second;
      const user = await persistence.repositories.users.insert(tenant.id, { username: 'dana', email: null, passwordHash: '$argon2id$x' });
      assert.ok('created' in user);
      userId = user.created.id;
    });
    after(async () => database?.close());

    async function authorization(clientId = 'tv'): Promise<{ device: string; user: string; id: string }> {
      const device = randomUUID().replace(/-/g, '').padEnd(64, '0');
      const user = randomUUID().replace(/-/g, '').padEnd(64, '1');
      const repo = persistence.repositories.deviceAuthorizations;
      await repo.insert(
        tenant.id,
        {
          clientId,
          deviceCodeHash: device,
          userCodeHash: user,
          scopes: ['openid'],
          resource: null,
          intervalSeconds: 5,
          expiresAt: at(600),
        },
        start,
      );
      const found = await repo.findPendingByUserCode(tenant.id, user, start);
      assert.ok(found);
      return { device, user, id: found.id };
    }

    it('polls: pending, slow_down (+5 s) when sooner than the interval, then the approval consumed exactly once', async () => {
      const repo = persistence.repositories.deviceAuthorizations;
      const { device, id } = await authorization();
      assert.deepEqual(await repo.poll(tenant.id, device, 'tv', at(0)), { outcome: 'pending' });
      assert.deepEqual(await repo.poll(tenant.id, device, 'tv', at(2)), { outcome: 'slow_down', intervalSeconds: 10 });
      assert.deepEqual(await repo.poll(tenant.id, device, 'tv', at(8)), { outcome: 'slow_down', intervalSeconds: 15 });
      assert.deepEqual(await repo.poll(tenant.id, device, 'tv', at(30)), { outcome: 'pending' });
      assert.equal(
        await repo.decide(tenant.id, id, { approved: true, userId, sessionId: null, authTime: at(31), amr: ['pwd'] }, at(31)),
        true,
      );
      assert.equal(await repo.decide(tenant.id, id, { approved: false, userId }, at(32)), false, 'decided once');
      const redeemed = await repo.poll(tenant.id, device, 'tv', at(60));
      assert.equal(redeemed.outcome, 'approved');
      assert.equal(redeemed.outcome === 'approved' && redeemed.authorization.userId, userId);
      assert.deepEqual(await repo.poll(tenant.id, device, 'tv', at(90)), { outcome: 'consumed' });
    });

    it('expired past its lifetime; unknown to another client and another tenant; the user code finds only a live pending one', async () => {
      const repo = persistence.repositories.deviceAuthorizations;
      const { device, user, id } = await authorization();
      assert.deepEqual(await repo.poll(tenant.id, device, 'radio', at(0)), { outcome: 'unknown' });
      assert.deepEqual(await repo.poll(other.id, device, 'tv', at(0)), { outcome: 'unknown' });
      assert.equal(await repo.findPendingByUserCode(other.id, user, at(0)), null);
      assert.equal(await repo.findPendingByUserCode(tenant.id, user, at(600)), null, 'expired');
      assert.equal(
        await repo.decide(tenant.id, id, { approved: true, userId, sessionId: null, authTime: at(601), amr: [] }, at(601)),
        false,
      );
      assert.deepEqual(await repo.poll(tenant.id, device, 'tv', at(601)), { outcome: 'expired' });
    });
  });
}
