import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openDatabase, Persistence, runMigrations, type Database, type DatabaseTarget, type Tenant } from '@gatehouse/persistence';
import { createScratchPostgres, databaseTargets, isForeignKeyViolation, uniqueSlug } from '../../../test/support/index.js';
import { AddConsentResource1764740000000 } from '../src/migrations/1764740000000-add-consent-resource.js';

const A = 'https://a.example.test/api';
const B = 'https://b.example.test/api';

/** Consent per (resource, scope): one API's `read` is not another's, and a tenant sees only its own. */
for (const target of databaseTargets()) {
  describe(`consents per API on ${target.name}`, { skip: target.skip }, () => {
    let database: Database;
    let persistence: Persistence;
    let tenant: Tenant;
    let other: Tenant;

    before(async () => {
      database = await target.open();
      persistence = new Persistence(database);
      const created = await persistence.repositories.tenants.insert({ slug: uniqueSlug('consent'), name: 'Consents' });
      const second = await persistence.repositories.tenants.insert({ slug: uniqueSlug('consent-other'), name: 'Other' });
      assert.ok(created && second);
      tenant = created;
      other = second;
    });
    after(async () => {
      await database?.close();
    });

    async function newUser(username: string, tenantId = tenant.id): Promise<string> {
      const result = await persistence.repositories.users.insert(tenantId, { username, email: null, passwordHash: '$argon2id$x' });
      assert.ok('created' in result);
      return result.created.id;
    }

    it('records scopes per resource: read at A is neither read at B nor read without an API', async () => {
      const { consents } = persistence.repositories;
      const user = await newUser('ann');
      const now = new Date();
      await consents.grant(tenant.id, user, 'app', ['openid', 'email'], now);
      await consents.grant(tenant.id, user, 'app', ['read'], now, A);
      assert.deepEqual(await consents.findScopes(tenant.id, user, 'app', A), ['read']);
      assert.deepEqual(await consents.findScopes(tenant.id, user, 'app', B), []);
      assert.deepEqual(await consents.findScopes(tenant.id, user, 'app'), ['openid', 'email']);
      assert.deepEqual(await consents.findGrants(tenant.id, user, 'app'), [
        { resource: null, scopes: ['openid', 'email'] },
        { resource: A, scopes: ['read'] },
      ]);
      assert.deepEqual(await consents.findGrants(tenant.id, user, 'another-app'), []);
    });

    it('a later grant widens only its own resource', async () => {
      const { consents } = persistence.repositories;
      const user = await newUser('bob');
      const first = new Date(Date.now() - 60_000);
      const later = new Date();
      await consents.grant(tenant.id, user, 'app', ['read'], first, A);
      await consents.grant(tenant.id, user, 'app', ['openid'], first);
      await consents.grant(tenant.id, user, 'app', ['write', 'read'], later, A);
      await consents.grant(tenant.id, user, 'app', ['read'], later, B);
      assert.deepEqual((await consents.findScopes(tenant.id, user, 'app', A)).sort(), ['read', 'write']);
      assert.deepEqual(await consents.findScopes(tenant.id, user, 'app', B), ['read']);
      assert.deepEqual(await consents.findScopes(tenant.id, user, 'app'), ['openid']);

      const [listed] = await consents.listForUser(tenant.id, user, null, 10);
      assert.equal(listed?.clientId, 'app');
      assert.deepEqual(
        listed.resources.map((entry) => [entry.resource, [...entry.scopes].sort(), entry.grantedAt.getTime()]),
        [
          [null, ['openid'], first.getTime()],
          [A, ['read', 'write'], later.getTime()],
          [B, ['read'], later.getTime()],
        ],
      );
      assert.deepEqual([...listed.scopes].sort(), ['openid', 'read', 'write'], 'scopes: every scope granted, once');
      assert.equal(listed.grantedAt.getTime(), later.getTime(), 'granted_at: the latest grant');
    });

    it('lists one item per client, paged by client_id and filtered by client, whatever the number of APIs', async () => {
      const { consents } = persistence.repositories;
      const user = await newUser('cat');
      const now = new Date();
      for (const client of ['app-1', 'app-2', 'app-3']) {
        await consents.grant(tenant.id, user, client, ['openid'], now);
        await consents.grant(tenant.id, user, client, ['read'], now, A);
        await consents.grant(tenant.id, user, client, ['read'], now, B);
      }
      const page1 = await consents.listForUser(tenant.id, user, null, 2);
      assert.deepEqual(
        page1.map((consent) => [consent.clientId, consent.resources.length]),
        [
          ['app-1', 3],
          ['app-2', 3],
        ],
      );
      assert.deepEqual(
        (await consents.listForUser(tenant.id, user, 'app-2', 2)).map((consent) => consent.clientId),
        ['app-3'],
      );
      assert.deepEqual(
        (await consents.listForUser(tenant.id, user, null, 10, 'app-2')).map((consent) => consent.clientId),
        ['app-2'],
      );
    });

    it("revoke withdraws the client's consent for every API at once; revokeForResource only that API's", async () => {
      const { consents } = persistence.repositories;
      const user = await newUser('dan');
      const now = new Date();
      await consents.grant(tenant.id, user, 'app', ['openid'], now);
      await consents.grant(tenant.id, user, 'app', ['read'], now, A);
      await consents.grant(tenant.id, user, 'kept', ['read'], now, B);
      assert.deepEqual(await consents.revoke(tenant.id, user, 'app'), [
        { resource: null, scopes: ['openid'] },
        { resource: A, scopes: ['read'] },
      ]);
      assert.deepEqual(await consents.findGrants(tenant.id, user, 'app'), []);
      assert.equal(await consents.revoke(tenant.id, user, 'app'), null);

      await consents.grant(tenant.id, user, 'kept', ['openid'], now);
      await consents.grant(tenant.id, user, 'kept', ['read'], now, A);
      assert.ok((await consents.revokeForResource(tenant.id, B)) >= 1);
      assert.deepEqual(await consents.findGrants(tenant.id, user, 'kept'), [
        { resource: null, scopes: ['openid'] },
        { resource: A, scopes: ['read'] },
      ]);
    });

    it('tenant isolation: another tenant can neither read, list, widen, revoke nor sweep this consent', async () => {
      const { consents } = persistence.repositories;
      const user = await newUser('isolated');
      const now = new Date();
      await consents.grant(tenant.id, user, 'app', ['openid'], now);
      await consents.grant(tenant.id, user, 'app', ['read'], now, A);
      const before = await consents.listForUser(tenant.id, user, null, 10);

      assert.deepEqual(await consents.findScopes(other.id, user, 'app', A), []);
      assert.deepEqual(await consents.findScopes(other.id, user, 'app'), []);
      assert.deepEqual(await consents.findGrants(other.id, user, 'app'), []);
      assert.deepEqual(await consents.listForUser(other.id, user, null, 10), []);
      assert.deepEqual(await consents.listForUser(other.id, user, null, 10, 'app'), []);
      assert.equal(await consents.revoke(other.id, user, 'app'), null);
      assert.equal(await consents.revokeForResource(other.id, A), 0);
      // A grant in the other tenant naming this tenant's user is refused by the schema ((tenant_id, user_id) → users).
      await assert.rejects(consents.grant(other.id, user, 'app', ['write'], new Date(now.getTime() + 1000), A), isForeignKeyViolation);
      assert.deepEqual(await consents.findScopes(tenant.id, user, 'app', A), ['read']);
      // Its own user's grant lands there, and only its own row is swept there.
      const own = await newUser('own', other.id);
      await consents.grant(other.id, own, 'app', ['write'], new Date(now.getTime() + 1000), A);
      assert.equal(await consents.revokeForResource(other.id, A), 1, 'and only its own row is swept there');

      assert.deepEqual(await consents.listForUser(tenant.id, user, null, 10), before);
      assert.deepEqual(await consents.findGrants(tenant.id, user, 'app'), [
        { resource: null, scopes: ['openid'] },
        { resource: A, scopes: ['read'] },
      ]);
      // And the same user id in the other tenant (a user of its own) starts with nothing.
      const stranger = await newUser('isolated', other.id);
      assert.deepEqual(await consents.findGrants(other.id, stranger, 'app'), []);
    });
  });
}

/** The migration on a database of its own (it is reverted and re-applied here). */
const migrationTargets: { name: string; skip: string | false; open(): Promise<{ target: DatabaseTarget; drop(): Promise<void> }> }[] = [
  { name: 'PGlite', skip: false, open: () => Promise.resolve({ target: { kind: 'embedded-memory' }, drop: () => Promise.resolve() }) },
  {
    name: 'PostgreSQL',
    skip: process.env['DATABASE_URL'] ? false : 'needs DATABASE_URL (a real PostgreSQL)',
    open: async () => {
      const scratch = await createScratchPostgres();
      return { target: { kind: 'postgres', url: scratch.url, poolSize: 2 }, drop: () => scratch.drop() };
    },
  },
];

for (const migrationTarget of migrationTargets) {
  describe(`consent resource migration on ${migrationTarget.name}`, { skip: migrationTarget.skip }, () => {
    it('keeps consents from before API-less (they cover no API), and down folds the APIs back into one row', async () => {
      const scratch = await migrationTarget.open();
      const database = await openDatabase(scratch.target);
      try {
        await runMigrations(database);
        const persistence = new Persistence(database);
        const tenant = await persistence.repositories.tenants.insert({ slug: uniqueSlug('legacy'), name: 'Legacy' });
        assert.ok(tenant);
        const inserted = await persistence.repositories.users.insert(tenant.id, {
          username: 'old',
          email: null,
          passwordHash: '$argon2id$x',
        });
        assert.ok('created' in inserted);
        const user = inserted.created.id;
        const migration = new AddConsentResource1764740000000();

        const runner = database.dataSource.createQueryRunner();
        await runner.connect();
        try {
          await migration.down(runner);
          // A consent as the old code recorded it: API scopes with no word of which API.
          await runner.query(`INSERT INTO consents (tenant_id, user_id, client_id, scopes) VALUES ($1, $2, 'app', $3)`, [
            tenant.id,
            user,
            ['openid', 'read'],
          ]);
          await migration.up(runner);
        } finally {
          await runner.release();
        }
        const { consents } = persistence.repositories;
        assert.deepEqual(await consents.findGrants(tenant.id, user, 'app'), [{ resource: null, scopes: ['openid', 'read'] }]);
        assert.deepEqual(await consents.findScopes(tenant.id, user, 'app', A), [], 'the old consent names no API');

        await consents.grant(tenant.id, user, 'app', ['read', 'write'], new Date(), A);
        const back = database.dataSource.createQueryRunner();
        await back.connect();
        try {
          await migration.down(back);
          const rows = (await back.query(`SELECT scopes FROM consents WHERE tenant_id = $1 AND user_id = $2`, [tenant.id, user])) as {
            scopes: string[];
          }[];
          assert.equal(rows.length, 1);
          assert.deepEqual([...(rows[0]?.scopes ?? [])].sort(), ['openid', 'read', 'write']);
          await migration.up(back);
        } finally {
          await back.release();
        }
      } finally {
        await database.close();
        await scratch.drop();
      }
    });
  });
}
