import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Persistence, type Database, type Tenant } from '@gatehouse/persistence';
import { databaseTargets, uniqueSlug } from '../../../test/support/index.js';

/** TOTP factors and recovery codes: each code used once even under a race, and scoped to one tenant. */
for (const target of databaseTargets()) {
  describe(`second factors on ${target.name}`, { skip: target.skip }, () => {
    let database: Database;
    let persistence: Persistence;
    let tenant: Tenant;
    let other: Tenant;

    before(async () => {
      database = await target.open();
      persistence = new Persistence(database);
      const created = await persistence.repositories.tenants.insert({ slug: uniqueSlug('mfa'), name: 'MFA' });
      const second = await persistence.repositories.tenants.insert({ slug: uniqueSlug('mfa-other'), name: 'Other' });
      assert.ok(created && second);
      tenant = created;
      other = second;
    });
    after(async () => {
      await database?.close();
    });

    async function enrolledUser(username: string, step = 100): Promise<string> {
      const result = await persistence.repositories.users.insert(tenant.id, { username, email: null, passwordHash: '$argon2id$x' });
      assert.ok('created' in result);
      const { secondFactors } = persistence.repositories;
      assert.equal(await secondFactors.savePendingTotp(tenant.id, result.created.id, 'v1.sealed'), true);
      assert.equal(await secondFactors.confirmTotp(tenant.id, result.created.id, step, new Date()), true);
      return result.created.id;
    }

    it('a pending factor can be replaced until confirmed; a confirmed one cannot', async () => {
      const result = await persistence.repositories.users.insert(tenant.id, { username: 'pending', email: null, passwordHash: null });
      assert.ok('created' in result);
      const userId = result.created.id;
      const { secondFactors } = persistence.repositories;
      assert.equal(await secondFactors.savePendingTotp(tenant.id, userId, 'v1.first'), true);
      assert.equal(await secondFactors.useTotpStep(tenant.id, userId, 5), false, 'a pending factor signs no one in');
      assert.equal(await secondFactors.savePendingTotp(tenant.id, userId, 'v1.second'), true);
      assert.equal((await secondFactors.findTotp(tenant.id, userId))?.sealedSecret, 'v1.second');
      assert.equal(await secondFactors.confirmTotp(tenant.id, userId, 7, new Date()), true);
      assert.equal(await secondFactors.confirmTotp(tenant.id, userId, 8, new Date()), false);
      assert.equal(await secondFactors.savePendingTotp(tenant.id, userId, 'v1.third'), false);
      const factor = await secondFactors.findTotp(tenant.id, userId);
      assert.equal(factor?.sealedSecret, 'v1.second');
      assert.equal(factor?.lastUsedStep, 7);
    });

    it('a time step is accepted only once and only after the last one', async () => {
      const userId = await enrolledUser('steps');
      const { secondFactors } = persistence.repositories;
      assert.equal(await secondFactors.useTotpStep(tenant.id, userId, 100), false, 'the confirming step is used');
      assert.equal(await secondFactors.useTotpStep(tenant.id, userId, 101), true);
      assert.equal(await secondFactors.useTotpStep(tenant.id, userId, 101), false);
      assert.equal(await secondFactors.useTotpStep(tenant.id, userId, 99), false);
    });

    it('two concurrent uses of one TOTP step: one wins', async () => {
      const userId = await enrolledUser('race');
      const results = await Promise.all(
        Array.from({ length: 2 }, () => persistence.transaction((repos) => repos.secondFactors.useTotpStep(tenant.id, userId, 150))),
      );
      assert.deepEqual(results.filter(Boolean).length, 1);
    });

    it('two concurrent uses of one recovery code: one wins, and it stays used', async () => {
      const userId = await enrolledUser('recovery');
      const { secondFactors } = persistence.repositories;
      await secondFactors.replaceRecoveryCodes(tenant.id, userId, ['h1', 'h2', 'h3']);
      assert.equal(await secondFactors.countUnusedRecoveryCodes(tenant.id, userId), 3);
      const results = await Promise.all(
        Array.from({ length: 2 }, () =>
          persistence.transaction((repos) => repos.secondFactors.useRecoveryCode(tenant.id, userId, 'h2', new Date())),
        ),
      );
      assert.equal(results.filter(Boolean).length, 1);
      assert.equal(await secondFactors.useRecoveryCode(tenant.id, userId, 'h2', new Date()), false);
      assert.equal(await secondFactors.useRecoveryCode(tenant.id, userId, 'unknown', new Date()), false);
      assert.equal(await secondFactors.countUnusedRecoveryCodes(tenant.id, userId), 2);
    });

    it('reset removes the factor and the codes', async () => {
      const userId = await enrolledUser('reset');
      const { secondFactors } = persistence.repositories;
      await secondFactors.replaceRecoveryCodes(tenant.id, userId, ['r1']);
      assert.equal(await secondFactors.resetFactors(tenant.id, userId), true);
      assert.equal(await secondFactors.findTotp(tenant.id, userId), null);
      assert.equal(await secondFactors.countUnusedRecoveryCodes(tenant.id, userId), 0);
      assert.equal(await secondFactors.resetFactors(tenant.id, userId), false);
    });

    it("tenant B neither reads, uses, replaces nor resets tenant A's factors", async () => {
      const userId = await enrolledUser('isolated');
      const { secondFactors } = persistence.repositories;
      await secondFactors.replaceRecoveryCodes(tenant.id, userId, ['i1']);
      assert.equal(await secondFactors.findTotp(other.id, userId), null);
      assert.equal(await secondFactors.useTotpStep(other.id, userId, 500), false);
      assert.equal(await secondFactors.confirmTotp(other.id, userId, 500, new Date()), false);
      assert.equal(await secondFactors.useRecoveryCode(other.id, userId, 'i1', new Date()), false);
      assert.equal(await secondFactors.countUnusedRecoveryCodes(other.id, userId), 0);
      assert.equal(await secondFactors.resetFactors(other.id, userId), false);
      await secondFactors.replaceRecoveryCodes(other.id, userId, []);
      assert.equal(await secondFactors.countUnusedRecoveryCodes(tenant.id, userId), 1);
      assert.equal((await secondFactors.findTotp(tenant.id, userId))?.lastUsedStep, 100);
    });
  });
}
