import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Persistence, type Database, type Tenant } from '@gatehouse/persistence';
import { databaseTargets, uniqueSlug } from '../../../test/support/index.js';

const POLICY = { threshold: 3, lockoutSeconds: 60, hardLockThreshold: 100 };

/** Lockout bookkeeping, admin changes, sessions and consents of a user: atomic, and scoped to one tenant. */
for (const target of databaseTargets()) {
  describe(`user accounts on ${target.name}`, { skip: target.skip }, () => {
    let database: Database;
    let persistence: Persistence;
    let tenant: Tenant;
    let other: Tenant;

    before(async () => {
      database = await target.open();
      persistence = new Persistence(database);
      const created = await persistence.repositories.tenants.insert({ slug: uniqueSlug('acct'), name: 'Accounts' });
      const second = await persistence.repositories.tenants.insert({ slug: uniqueSlug('acct-other'), name: 'Other' });
      assert.ok(created && second);
      tenant = created;
      other = second;
    });
    after(async () => {
      await database?.close();
    });

    async function newUser(username: string): Promise<string> {
      const result = await persistence.repositories.users.insert(tenant.id, { username, email: null, passwordHash: '$argon2id$x' });
      assert.ok('created' in result);
      return result.created.id;
    }

    it('users by id in one query: in order, each in its own tenant, null for unknown, foreign or malformed ids; concurrent lookups share it', async () => {
      const { users } = persistence.repositories;
      const [first, second] = [await newUser('batch-one'), await newUser('batch-two')];
      const found = await users.findManyByIds([
        { tenantId: tenant.id, userId: second },
        { tenantId: other.id, userId: first },
        { tenantId: tenant.id, userId: 'not-a-uuid' },
        { tenantId: tenant.id, userId: '00000000-0000-4000-8000-000000000000' },
        { tenantId: tenant.id, userId: first },
      ]);
      assert.deepEqual(
        found.map((user) => user?.username ?? null),
        ['batch-two', null, null, null, 'batch-one'],
      );
      assert.deepEqual(found[4], await users.findById(tenant.id, first), 'the same user as a single read');
      const shared = await Promise.all([first, second, first].map((id) => persistence.userLookups.findById(tenant.id, id)));
      assert.deepEqual(
        shared.map((user) => user?.id),
        [first, second, first],
      );
    });

    it('concurrent wrong passwords are each counted once, and the threshold locks', async () => {
      const { users } = persistence.repositories;
      const id = await newUser('racer');
      const now = new Date();
      const results = await Promise.all(
        [1, 2].map(() => users.recordFailedLogin(tenant.id, 'RACER', now, { threshold: 10, lockoutSeconds: 60, hardLockThreshold: 100 })),
      );
      assert.deepEqual(results.map((r) => r?.failedLoginCount).sort(), [1, 2]);
      await users.recordFailedLogin(tenant.id, 'racer', now, POLICY);
      const locked = await users.findById(tenant.id, id);
      assert.equal(locked?.failedLoginCount, 3);
      assert.equal(locked?.lockedUntil?.getTime(), now.getTime() + 60_000);
      assert.equal(await users.recordFailedLogin(tenant.id, 'racer', now, POLICY), null, 'not counted while locked');
      assert.equal(await users.recordSuccessfulLogin(tenant.id, id, now), false, 'no login while locked');
      const later = new Date(now.getTime() + 61_000);
      assert.deepEqual(await users.recordFailedLogin(tenant.id, 'racer', later, POLICY), {
        failedLoginCount: 1,
        lockedUntil: null,
        consecutiveFailedLogins: 4,
        hardLockedNow: false,
      });
      assert.equal(await users.recordSuccessfulLogin(tenant.id, id, later), true);
      const reset = await users.findById(tenant.id, id);
      assert.equal(reset?.failedLoginCount, 0);
      assert.equal(reset?.lastLoginAt?.getTime(), later.getTime());
    });

    it('consecutive failures are counted across temporary locks and hard-lock at the threshold, until an unlock', async () => {
      const { users } = persistence.repositories;
      const id = await newUser('persistent-guesser');
      const policy = { threshold: 3, lockoutSeconds: 60, hardLockThreshold: 10 };
      let at = Date.now();
      const fail = () => users.recordFailedLogin(tenant.id, 'persistent-guesser', new Date(at), policy);
      // Three temporary locks of three failures each: the lock count restarts, the consecutive one does not.
      for (let lock = 1; lock <= 3; lock++) {
        for (let i = 1; i <= 3; i++) {
          const counted = await fail();
          assert.equal(counted?.failedLoginCount, i);
          assert.equal(counted?.consecutiveFailedLogins, (lock - 1) * 3 + i);
          assert.equal(counted?.hardLockedNow, false);
        }
        assert.equal(await fail(), null, 'not counted during the temporary lock');
        at += 61_000;
      }
      const tenth = await fail();
      assert.equal(tenth?.consecutiveFailedLogins, 10);
      assert.equal(tenth?.hardLockedNow, true, 'the tenth consecutive failure hard-locks');
      const hardLocked = await users.findById(tenant.id, id);
      assert.ok(hardLocked?.hardLockedAt);
      assert.equal((await users.findLoginCandidate(tenant.id, 'persistent-guesser'))?.hardLocked, true);

      at += 86_400_000;
      assert.equal(await fail(), null, 'a hard-locked account is not counted, however long after');
      assert.equal(await users.recordSuccessfulLogin(tenant.id, id, new Date(at)), false, 'nor signed in: time does not lift it');
      assert.equal(
        (await users.listPage(tenant.id, null, 100, { locked: { value: true, now: new Date(at) } })).some((u) => u.id === id),
        true,
      );

      const unlocked = await users.unlock(tenant.id, id);
      assert.equal(unlocked?.hardLockedAt, null);
      assert.equal(unlocked?.consecutiveFailedLogins, 0);
      assert.equal(unlocked?.failedLoginCount, 0);
      assert.equal(unlocked?.lockedUntil, null);
      assert.equal((await users.findLoginCandidate(tenant.id, 'persistent-guesser'))?.hardLocked, false);
      assert.equal(await users.recordSuccessfulLogin(tenant.id, id, new Date(at)), true);
    });

    it('a successful login resets the consecutive count; an admin password reset leaves a hard lock in place', async () => {
      const { users } = persistence.repositories;
      const id = await newUser('forgetful');
      const policy = { threshold: 100, lockoutSeconds: 60, hardLockThreshold: 10 };
      const now = new Date();
      for (let i = 0; i < 9; i++) await users.recordFailedLogin(tenant.id, 'forgetful', now, policy);
      assert.equal(await users.recordSuccessfulLogin(tenant.id, id, now), true);
      assert.equal((await users.findById(tenant.id, id))?.consecutiveFailedLogins, 0);
      for (let i = 0; i < 10; i++) await users.recordFailedLogin(tenant.id, 'forgetful', now, policy);
      const reset = await users.setPassword(tenant.id, id, '$argon2id$new');
      assert.ok(reset?.hardLockedAt, 'only an unlock lifts the hard lock');
    });

    it('login bookkeeping does not move updated_at; admin changes do', async () => {
      const { users } = persistence.repositories;
      const id = await newUser('versioned');
      const before = await users.findById(tenant.id, id);
      await users.recordFailedLogin(tenant.id, 'versioned', new Date(), POLICY);
      assert.equal((await users.findById(tenant.id, id))?.updatedAt.getTime(), before?.updatedAt.getTime());
      const unlocked = await users.unlock(tenant.id, id);
      assert.ok(unlocked && before && unlocked.updatedAt > before.updatedAt);
      assert.ok('stale' in (await users.updateIfUnchanged(tenant.id, id, before.updatedAt, { name: 'Late' })));
      const applied = await users.updateIfUnchanged(tenant.id, id, unlocked.updatedAt, { name: 'On time', email: 'V@Example.com' });
      assert.ok('updated' in applied);
      assert.equal(applied.updated.email, 'v@example.com');
      await newUser('second');
      const second = await users.findByUsername(tenant.id, 'second');
      assert.ok(second);
      assert.deepEqual(await users.updateIfUnchanged(tenant.id, second.id, second.updatedAt, { email: 'v@EXAMPLE.com' }), {
        conflict: 'email',
      });
    });

    it('tenant isolation: another tenant can neither count, unlock, change, nor list anything of this user', async () => {
      const { users, sessions, consents, refreshTokens } = persistence.repositories;
      const id = await newUser('isolated');
      const now = new Date();
      await users.recordFailedLogin(tenant.id, 'isolated', now, { threshold: 1, lockoutSeconds: 600, hardLockThreshold: 100 });
      const sessionId = await sessions.insert(tenant.id, {
        userId: id,
        tokenHash: 'a'.repeat(64),
        authTime: now,
        amr: ['pwd'],
        expiresAt: new Date(now.getTime() + 60_000),
      });
      await consents.grant(tenant.id, id, 'app', ['openid'], now);
      const family = await refreshTokens.createFamily(tenant.id, {
        clientId: 'app',
        userId: id,
        sessionId,
        scopes: ['openid'],
        resource: null,
        authTime: now,
        amr: ['pwd'],
        absoluteExpiresAt: new Date(now.getTime() + 60_000),
      });
      const before = await users.findById(tenant.id, id);
      assert.ok(before);

      assert.equal(await users.findLoginCandidate(other.id, 'isolated'), null);
      assert.equal(await users.recordFailedLogin(other.id, 'isolated', now, POLICY), null);
      assert.equal(await users.recordSuccessfulLogin(other.id, id, new Date(now.getTime() + 3_600_000)), false);
      assert.equal(await users.unlock(other.id, id), null);
      assert.equal(await users.setPassword(other.id, id, '$argon2id$evil'), null);
      assert.ok('stale' in (await users.updateIfUnchanged(other.id, id, before.updatedAt, { status: 'disabled' })));
      assert.deepEqual(await sessions.listActiveForUser(other.id, id, now, null, 10), []);
      assert.deepEqual(await consents.listForUser(other.id, id, null, 10), []);
      assert.equal(await consents.revoke(other.id, id, 'app'), null);
      assert.deepEqual(await refreshTokens.revokeAllForUserAndClient(other.id, id, 'app', 'attack', now), []);

      assert.deepEqual(await users.findById(tenant.id, id), before);
      assert.equal((await users.findPasswordHash(tenant.id, 'isolated'))?.passwordHash, '$argon2id$x');
      assert.equal((await sessions.listActiveForUser(tenant.id, id, now, null, 10)).length, 1);
      assert.deepEqual(
        (await consents.listForUser(tenant.id, id, null, 10)).map((c) => c.clientId),
        ['app'],
      );
      assert.equal((await refreshTokens.findFamily(tenant.id, family))?.revokedAt, null);
    });
  });
}
