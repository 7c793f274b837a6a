import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TenantId } from '@gatehouse/protocol';
import { Persistence } from '@gatehouse/persistence';
import { isForeignKeyViolation, isolatedTargets, uniqueSlug } from '../../../test/support/index.js';
import { AddTenantScopedForeignKeys1764990000000 } from '../src/migrations/1764990000000-add-tenant-scoped-foreign-keys.js';

const NOW = new Date();
const LATER = new Date(NOW.getTime() + 3_600_000);

// The migration is reverted and re-applied here: each target is a database of this test's own.
for (const target of isolatedTargets()) {
  describe(`tenant-scoped foreign keys on ${target.name}`, { skip: target.skip }, () => {
    it('the migration drops rows naming another tenant’s user, keeps the rest; then the schema refuses such rows, and they go with their user', async () => {
      const { database, close } = await target.open();
      try {
        const persistence = new Persistence(database);
        const repos = persistence.repositories;
        const [a, b] = await Promise.all([
          repos.tenants.insert({ slug: uniqueSlug('fk-a'), name: 'A' }),
          repos.tenants.insert({ slug: uniqueSlug('fk-b'), name: 'B' }),
        ]);
        assert.ok(a && b);
        const newUser = async (tenant: TenantId, username: string) => {
          const inserted = await repos.users.insert(tenant, { username, email: null, passwordHash: '$argon2id$x' });
          assert.ok('created' in inserted);
          return inserted.created.id;
        };
        const alice = await newUser(a.id, 'alice');
        const bob = await newUser(b.id, 'bob');
        const migration = new AddTenantScopedForeignKeys1764990000000();

        // PGlite has one connection: the runner holds it only while the migration runs.
        const migrate = async (step: 'up' | 'down') => {
          const runner = database.dataSource.createQueryRunner();
          await runner.connect();
          try {
            await migration[step](runner);
          } finally {
            await runner.release();
          }
        };
        await migrate('down');
        {
          // What the old schema let through: rows under B naming A's user.
          await repos.consents.grant(b.id, alice, 'app', ['openid'], NOW);
          await repos.sessions.insert(b.id, { userId: alice, tokenHash: 's'.repeat(43), authTime: NOW, amr: ['pwd'], expiresAt: LATER });
          await repos.secondFactors.savePendingTotp(b.id, alice, 'v1.x.x.x');
          // And rows that keep to their tenant.
          await repos.consents.grant(a.id, alice, 'app', ['openid'], NOW);
          await repos.consents.grant(b.id, bob, 'app', ['openid'], NOW);
          await migrate('up');

          assert.deepEqual(await repos.consents.findGrants(b.id, alice, 'app'), [], 'the consent under B naming A’s user is gone');
          // Counted in the tables themselves: the repositories' reads join the user by tenant and would find nothing either way.
          const rowsUnderB = async (table: string) =>
            Number(
              (await database.dataSource.query<{ n: string }[]>(`SELECT count(*) AS n FROM ${table} WHERE tenant_id = $1`, [b.id]))[0]?.n,
            );
          assert.equal(await rowsUnderB('sessions'), 0);
          assert.equal(await rowsUnderB('user_totp_factors'), 0);
          assert.deepEqual(await repos.consents.findGrants(a.id, alice, 'app'), [{ resource: null, scopes: ['openid'] }]);
          assert.deepEqual(await repos.consents.findGrants(b.id, bob, 'app'), [{ resource: null, scopes: ['openid'] }]);
        }

        await assert.rejects(repos.consents.grant(b.id, alice, 'app', ['openid'], NOW), isForeignKeyViolation);
        await assert.rejects(repos.secondFactors.savePendingTotp(b.id, alice, 'v1.x.x.x'), isForeignKeyViolation);
        await repos.secondFactors.savePendingTotp(b.id, bob, 'v1.y.y.y');
        await database.dataSource.query(`DELETE FROM users WHERE tenant_id = $1 AND id = $2`, [b.id, bob]);
        assert.equal(await repos.secondFactors.findTotp(b.id, bob), null, 'a second factor goes with its user');
      } finally {
        await close();
      }
    });
  });
}
