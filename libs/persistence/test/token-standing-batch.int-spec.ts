import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Persistence, type Database, type Tenant } from '@gatehouse/persistence';
import type { TokenBinding, TokenStanding } from '../src/repositories/token-standing.repository.js';
import { databaseTargets, uniqueSlug } from '../../../test/support/index.js';

/** Issue 12: concurrent standing checks share one query and answer exactly as one check each would. */
for (const target of databaseTargets()) {
  describe(`token standing in batches on ${target.name}`, { skip: target.skip }, () => {
    let database: Database;
    let persistence: Persistence;
    let tenant: Tenant;
    let other: Tenant;
    const cases: { name: string; binding: TokenBinding; expected: TokenStanding['standing'] | string }[] = [];
    const now = new Date();

    before(async () => {
      database = await target.open();
      persistence = new Persistence(database);
      const repos = persistence.repositories;
      const created = await repos.tenants.insert({ slug: uniqueSlug(), name: 'Batch' });
      const second = await repos.tenants.insert({ slug: uniqueSlug(), name: 'Other' });
      assert.ok(created && second);
      [tenant, other] = [created, second];
      await repos.clients.insert(tenant.id, {
        clientId: 'batch-client',
        name: 'Batch',
        applicationType: 'web',
        tokenEndpointAuthMethod: 'client_secret_basic',
        secretHash: 'h'.repeat(43),
        redirectUris: ['https://app.example.com/cb'],
        grantTypes: ['authorization_code'],
        scopes: ['openid'],
        jwks: null,
        firstParty: false,
      });
      const user = async (username: string) => {
        const inserted = await repos.users.insert(tenant.id, { username, email: null, passwordHash: null });
        assert.ok('created' in inserted);
        return inserted.created.id;
      };
      const active = await user('active');
      const disabled = await user('disabled');
      await database.dataSource.query(`UPDATE users SET status = 'disabled' WHERE id = $1`, [disabled]);
      const later = new Date(now.getTime() + 3_600_000);
      const session = await repos.sessions.insert(tenant.id, {
        userId: active,
        tokenHash: 'b'.repeat(43),
        authTime: now,
        amr: ['pwd'],
        expiresAt: later,
      });
      const ended = await repos.sessions.insert(tenant.id, {
        userId: active,
        tokenHash: 'c'.repeat(43),
        authTime: now,
        amr: ['pwd'],
        expiresAt: later,
      });
      await repos.sessions.end(tenant.id, ended, now);
      await repos.revokedTokens.revoke(tenant.id, ['revoked-jti'], later);
      const base = { clientId: 'batch-client', userId: active, grantId: null, sessionId: session };
      cases.push(
        { name: 'standing', binding: { ...base, jti: 'fine' }, expected: true },
        { name: 'revoked jti', binding: { ...base, jti: 'revoked-jti' }, expected: 'revoked' },
        { name: 'ended session', binding: { ...base, jti: 'a', sessionId: ended }, expected: 'session_ended' },
        { name: 'disabled user', binding: { ...base, jti: 'b', userId: disabled }, expected: 'user_inactive' },
        { name: 'client gone', binding: { ...base, jti: 'c', clientId: 'deleted-client' }, expected: 'client_gone' },
        { name: 'malformed grant (no query)', binding: { ...base, jti: 'd', grantId: 'not-a-uuid' }, expected: 'grant_revoked' },
        { name: 'no jti (no query)', binding: { ...base, jti: '' }, expected: 'revoked' },
        {
          name: "a client's own token",
          binding: { jti: 'e', clientId: 'batch-client', userId: null, grantId: null, sessionId: null },
          expected: true,
        },
      );
    });
    after(async () => {
      await database?.close();
    });

    const outcome = (standing: TokenStanding) => (standing.standing ? true : standing.reason);

    it('checkMany answers each binding in order, exactly as check does one by one', async () => {
      const { tokenStanding } = persistence.repositories;
      const queries = cases.map((c) => ({ tenantId: tenant.id, binding: c.binding, now }));
      const batch = await tokenStanding.checkMany(queries);
      const single = await Promise.all(queries.map((q) => tokenStanding.check(q.tenantId, q.binding, q.now)));
      assert.deepEqual(batch, single);
      assert.deepEqual(
        batch.map(outcome),
        cases.map((c) => c.expected),
      );
    });

    it('a batch mixing tenants answers each in its own tenant: tenant B cannot stand for tenant A', async () => {
      const fine = cases[0]!.binding;
      const [mine, theirs] = await persistence.repositories.tokenStanding.checkMany([
        { tenantId: tenant.id, binding: fine, now },
        { tenantId: other.id, binding: fine, now },
      ]);
      assert.equal(mine?.standing, true);
      assert.equal(theirs?.standing, false);
    });

    it('300 concurrent checks through the batcher each get their own answer', async () => {
      const asked = Array.from({ length: 300 }, (_, index) => cases[index % cases.length]!);
      const answers = await Promise.all(asked.map((c) => persistence.tokenStanding.check(tenant.id, c.binding, now)));
      assert.deepEqual(
        answers.map(outcome),
        asked.map((c) => c.expected),
      );
    });

    it('a revocation is seen by the very next check (nothing is cached)', async () => {
      const binding = { ...cases[0]!.binding, jti: 'revoked-later' };
      assert.equal((await persistence.tokenStanding.check(tenant.id, binding, now)).standing, true);
      await persistence.repositories.revokedTokens.revoke(tenant.id, ['revoked-later'], new Date(now.getTime() + 60_000));
      assert.deepEqual(await persistence.tokenStanding.check(tenant.id, binding, now), { standing: false, reason: 'revoked' });
    });
  });
}
