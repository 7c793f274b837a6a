import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Persistence, type Database, type NewPasskey, type Tenant } from '@gatehouse/persistence';
import { databaseTargets, uniqueSlug } from '../../../test/support/index.js';

/** Passkeys and their challenges: the counter only moves forwards, a challenge is used once, all scoped to one tenant. */
for (const target of databaseTargets()) {
  describe(`passkeys on ${target.name}`, { skip: target.skip }, () => {
    let database: Database;
    let persistence: Persistence;
    let tenant: Tenant;
    let other: Tenant;
    let credentials = 0;

    before(async () => {
      database = await target.open();
      persistence = new Persistence(database);
      const created = await persistence.repositories.tenants.insert({ slug: uniqueSlug('passkey'), name: 'Passkeys' });
      const second = await persistence.repositories.tenants.insert({ slug: uniqueSlug('passkey-other'), name: 'Other' });
      assert.ok(created && second);
      tenant = created;
      other = second;
    });
    after(async () => {
      await database?.close();
    });

    async function user(username: string): Promise<string> {
      const result = await persistence.repositories.users.insert(tenant.id, { username, email: null, passwordHash: '$argon2id$x' });
      assert.ok('created' in result);
      return result.created.id;
    }

    function passkey(userId: string, overrides: Partial<NewPasskey> = {}): NewPasskey {
      credentials += 1;
      return {
        userId,
        credentialId: `cred-${credentials}-${uniqueSlug('c')}`,
        publicKey: 'pQECAyYgASFYIA',
        counter: 0,
        transports: ['internal', 'hybrid'],
        deviceType: 'singleDevice',
        backedUp: false,
        name: 'Laptop',
        ...overrides,
      };
    }

    it('stores a passkey, lists it, and counts it as a confirmed factor', async () => {
      const { passkeys, secondFactors } = persistence.repositories;
      const userId = await user('ann');
      assert.equal(await secondFactors.hasConfirmedFactor(tenant.id, userId), false);
      const stored = await passkeys.insert(tenant.id, passkey(userId, { counter: 4 }));
      assert.ok(stored);
      assert.deepEqual(stored.transports, ['internal', 'hybrid']);
      assert.equal(stored.counter, 4);
      assert.equal(stored.lastUsedAt, null);
      assert.deepEqual(
        (await passkeys.listForUser(tenant.id, userId)).map((row) => row.id),
        [stored.id],
      );
      assert.equal((await passkeys.findByCredentialId(tenant.id, stored.credentialId))?.userId, userId);
      assert.equal(await secondFactors.hasConfirmedFactor(tenant.id, userId), true);
      assert.equal(await passkeys.countForUser(tenant.id, userId), 1);
    });

    it('a credential id is registered once per tenant', async () => {
      const { passkeys } = persistence.repositories;
      const first = await user('ben');
      const second = await user('cat');
      const key = passkey(first);
      assert.ok(await passkeys.insert(tenant.id, key));
      assert.equal(await passkeys.insert(tenant.id, { ...key, userId: second }), null);
    });

    it('records a use only with a higher counter (or 0 after 0); a concurrent replay gets false', async () => {
      const { passkeys } = persistence.repositories;
      const userId = await user('dan');
      const counted = await passkeys.insert(tenant.id, passkey(userId, { counter: 10 }));
      const uncounted = await passkeys.insert(tenant.id, passkey(userId));
      assert.ok(counted && uncounted);
      const now = new Date();
      assert.equal(await passkeys.recordUse(tenant.id, counted.id, 10, now), false, 'equal counter: a clone');
      assert.equal(await passkeys.recordUse(tenant.id, counted.id, 9, now), false, 'lower counter: a clone');
      assert.equal(await passkeys.recordUse(tenant.id, counted.id, 11, now), true);
      const results = await Promise.all(
        Array.from({ length: 2 }, () => persistence.transaction((repos) => repos.passkeys.recordUse(tenant.id, counted.id, 12, now))),
      );
      assert.deepEqual(results.sort(), [false, true]);
      assert.equal((await passkeys.findByCredentialId(tenant.id, counted.credentialId))?.counter, 12);
      assert.ok((await passkeys.findByCredentialId(tenant.id, counted.credentialId))?.lastUsedAt);
      assert.equal(await passkeys.recordUse(tenant.id, uncounted.id, 0, now), true, 'no counter at all');
      assert.equal(await passkeys.recordUse(tenant.id, uncounted.id, 0, now), true);
      assert.equal(await passkeys.recordUse(tenant.id, uncounted.id, 1, now), true);
      assert.equal(await passkeys.recordUse(tenant.id, uncounted.id, 0, now), false, 'a counter once started never returns to 0');
    });

    it('a challenge is consumed once, by its binding and purpose, before it expires', async () => {
      const { passkeys } = persistence.repositories;
      const now = new Date();
      const challenge = {
        challengeHash: 'h'.repeat(43),
        purpose: 'authenticate' as const,
        binding: 'interaction:one',
        userId: null,
        expiresAt: new Date(now.getTime() + 60_000),
      };
      await passkeys.saveChallenge(tenant.id, challenge, now);
      assert.equal(await passkeys.consumeChallenge(tenant.id, { ...challenge, binding: 'interaction:two' }, now), false);
      assert.equal(await passkeys.consumeChallenge(tenant.id, { ...challenge, purpose: 'register' }, now), false);
      assert.equal(await passkeys.consumeChallenge(tenant.id, challenge, new Date(now.getTime() + 61_000)), false, 'expired');
      const results = await Promise.all(
        Array.from({ length: 2 }, () => persistence.transaction((repos) => repos.passkeys.consumeChallenge(tenant.id, challenge, now))),
      );
      assert.deepEqual(results.sort(), [false, true]);
      assert.equal(await passkeys.consumeChallenge(tenant.id, challenge, now), false, 'replayed');
    });

    it('saving a challenge removes the tenant’s expired ones', async () => {
      const { passkeys } = persistence.repositories;
      const now = new Date();
      const old = { challengeHash: 'o'.repeat(43), purpose: 'register' as const, binding: 'session:old', userId: null, expiresAt: now };
      await passkeys.saveChallenge(tenant.id, old, new Date(now.getTime() - 1000));
      await passkeys.saveChallenge(tenant.id, { ...old, challengeHash: 'n'.repeat(43), expiresAt: new Date(now.getTime() + 60_000) }, now);
      assert.equal(await passkeys.consumeChallenge(tenant.id, old, new Date(now.getTime() - 500)), false, 'removed, not only expired');
    });

    it('removes only the owner’s passkey; an admin reset removes all', async () => {
      const { passkeys } = persistence.repositories;
      const owner = await user('eve');
      const stranger = await user('fay');
      const stored = await passkeys.insert(tenant.id, passkey(owner));
      await passkeys.insert(tenant.id, passkey(owner));
      assert.ok(stored);
      assert.equal(await passkeys.remove(tenant.id, stranger, stored.id), null);
      assert.equal(await passkeys.remove(tenant.id, owner, 'not-a-uuid'), null);
      assert.equal((await passkeys.remove(tenant.id, owner, stored.id))?.id, stored.id);
      assert.equal(await passkeys.remove(tenant.id, owner, stored.id), null);
      assert.equal(await passkeys.removeAll(tenant.id, owner), 1);
      assert.equal(await passkeys.countForUser(tenant.id, owner), 0);
    });

    it('tenant isolation: another tenant reads, uses, consumes and removes nothing', async () => {
      const { passkeys, secondFactors } = persistence.repositories;
      const userId = await user('gus');
      const stored = await passkeys.insert(tenant.id, passkey(userId, { counter: 1 }));
      assert.ok(stored);
      const now = new Date();
      await passkeys.saveChallenge(
        tenant.id,
        {
          challengeHash: 'i'.repeat(43),
          purpose: 'register',
          binding: 'session:s',
          userId,
          expiresAt: new Date(now.getTime() + 60_000),
        },
        now,
      );
      assert.equal(await passkeys.findByCredentialId(other.id, stored.credentialId), null);
      assert.deepEqual(await passkeys.listForUser(other.id, userId), []);
      assert.equal(await passkeys.countForUser(other.id, userId), 0);
      assert.equal(await secondFactors.hasConfirmedFactor(other.id, userId), false);
      assert.equal(await passkeys.recordUse(other.id, stored.id, 5, now), false);
      assert.equal(await passkeys.remove(other.id, userId, stored.id), null);
      assert.equal(await passkeys.removeAll(other.id, userId), 0);
      assert.equal(
        await passkeys.consumeChallenge(other.id, { challengeHash: 'i'.repeat(43), purpose: 'register', binding: 'session:s' }, now),
        false,
      );
      assert.equal((await passkeys.findByCredentialId(tenant.id, stored.credentialId))?.counter, 1);
      assert.equal(
        await passkeys.consumeChallenge(tenant.id, { challengeHash: 'i'.repeat(43), purpose: 'register', binding: 'session:s' }, now),
        true,
      );
    });
  });
}
