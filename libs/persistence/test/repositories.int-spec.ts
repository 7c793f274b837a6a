import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Persistence, type Database, type NewClient, type Tenant } from '@gatehouse/persistence';
import { databaseTargets, uniqueSlug } from '../../../test/support/index.js';

const sampleClient = (clientId: string): NewClient => ({
  clientId,
  name: 'Sample',
  applicationType: 'web',
  tokenEndpointAuthMethod: 'client_secret_basic',
  secretHash: 'h'.repeat(43),
  redirectUris: ['https://app.example.com/cb'],
  grantTypes: ['authorization_code'],
  scopes: ['openid'],
  jwks: null,
  firstParty: false,
});

for (const target of databaseTargets()) {
  describe(`repositories on ${target.name}`, { skip: target.skip }, () => {
    let database: Database;
    let persistence: Persistence;
    let tenant: Tenant;

    before(async () => {
      database = await target.open();
      persistence = new Persistence(database);
      const created = await persistence.repositories.tenants.insert({ slug: uniqueSlug(), name: 'Acme' });
      assert.ok(created);
      tenant = created;
    });
    after(async () => {
      await database?.close();
    });

    it('tenants: insert, find by slug, list; a taken slug is refused', async () => {
      const { tenants } = persistence.repositories;
      assert.equal(tenant.accessTokenAlg, 'ES256');
      assert.equal((await tenants.findBySlug(tenant.slug))?.id, tenant.id);
      assert.equal(await tenants.insert({ slug: tenant.slug, name: 'Again' }), null);
      assert.ok((await tenants.list()).some((t) => t.slug === tenant.slug));
      assert.equal(await tenants.findBySlug('no-such-tenant-here'), null);
    });

    it('tenants: the database refuses a malformed slug even if code would not', async () => {
      await assert.rejects(persistence.repositories.tenants.insert({ slug: 'Bad Slug', name: 'x' }));
    });

    it('users: usernames and emails are unique per tenant, case-insensitively', async () => {
      const { users } = persistence.repositories;
      const first = await users.insert(tenant.id, { username: 'Alice', email: 'Alice@Example.com', passwordHash: '$argon2id$x' });
      assert.ok('created' in first);
      assert.equal(first.created.username, 'alice');
      assert.equal(first.created.email, 'alice@example.com');
      assert.deepEqual(await users.insert(tenant.id, { username: 'ALICE', email: null, passwordHash: null }), { conflict: 'username' });
      assert.deepEqual(await users.insert(tenant.id, { username: 'alice2', email: 'alice@EXAMPLE.com', passwordHash: null }), {
        conflict: 'email',
      });
      assert.equal((await users.findByUsername(tenant.id, 'aLiCe'))?.id, first.created.id);
    });

    it('users: the password hash is read only for an active user with a password', async () => {
      const { users } = persistence.repositories;
      await users.insert(tenant.id, { username: 'bob', email: null, passwordHash: '$argon2id$bob' });
      await users.insert(tenant.id, { username: 'nopass', email: null, passwordHash: null });
      assert.equal((await users.findPasswordHash(tenant.id, 'BOB'))?.passwordHash, '$argon2id$bob');
      assert.equal(await users.findPasswordHash(tenant.id, 'nopass'), null);
      assert.equal(await users.findPasswordHash(tenant.id, 'nobody'), null);
    });

    it('clients: insert and find by client_id; array columns round-trip', async () => {
      const { clients } = persistence.repositories;
      const created = await clients.insert(tenant.id, { ...sampleClient('client-1'), grantTypes: ['authorization_code', 'refresh_token'] });
      const found = await clients.findByClientId(tenant.id, 'client-1');
      assert.equal(found?.id, created.id);
      assert.deepEqual(found?.grantTypes, ['authorization_code', 'refresh_token']);
      assert.deepEqual(found?.redirectUris, ['https://app.example.com/cb']);
      await assert.rejects(clients.insert(tenant.id, sampleClient('client-1')), 'client_id is unique within a tenant');
    });

    it('deletes report whether they deleted: true once, then false (tenants, users, clients)', async () => {
      const { tenants, users, clients } = persistence.repositories;
      const doomed = await tenants.insert({ slug: uniqueSlug('doomed'), name: 'Doomed', accessTokenAlg: 'RS256' });
      assert.ok(doomed);
      assert.equal(doomed.accessTokenAlg, 'RS256');
      assert.equal(doomed.securityProfile, 'none', 'the column default');
      const user = await users.insert(doomed.id, { username: 'gone', email: null, passwordHash: null });
      assert.ok('created' in user);
      await clients.insert(doomed.id, sampleClient('gone-client'));
      assert.equal(await users.erase(doomed.id, user.created.id), true);
      assert.equal(await users.erase(doomed.id, user.created.id), false);
      assert.equal(await clients.delete(doomed.id, 'gone-client'), true);
      assert.equal(await clients.delete(doomed.id, 'gone-client'), false);
      assert.equal(await tenants.remove(doomed.id), true);
      assert.equal(await tenants.remove(doomed.id), false);
    });

    it('clients: metadata and jsonb members round-trip through updates', async () => {
      const { clients } = persistence.repositories;
      const created = await clients.insert(tenant.id, {
        ...sampleClient('client-json'),
        tlsClientAuthSubject: { field: 'tls_client_auth_san_dns', value: 'svc.example' },
        rateLimitPolicy: { tokenRequestsPerClientPerMinute: 5 },
      });
      assert.deepEqual(created.tlsClientAuthSubject, { field: 'tls_client_auth_san_dns', value: 'svc.example' });
      assert.equal(created.rotateRefreshTokens, true, 'the column default');
      const updated = await clients.updateIfUnchanged(tenant.id, 'client-json', created.updatedAt, {
        jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y' }] },
        tlsClientAuthSubject: null,
        redirectUris: ['https://app.example.com/other'],
      });
      assert.ok(updated);
      assert.deepEqual(updated.jwks, { keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y' }] });
      assert.equal(updated.tlsClientAuthSubject, null);
      assert.deepEqual(updated.redirectUris, ['https://app.example.com/other']);
      assert.deepEqual(updated.rateLimitPolicy, { tokenRequestsPerClientPerMinute: 5 }, 'untouched');
      assert.equal(await clients.updateIfUnchanged(tenant.id, 'client-json', created.updatedAt, { name: 'stale' }), null);
    });

    it('sessions by cookie: concurrent lookups share a query and each gets only an active session of its own tenant and active user', async () => {
      const { users, sessions } = persistence.repositories;
      const now = new Date('2026-12-05T12:00:00Z');
      const later = new Date(now.getTime() + 3_600_000);
      const active = await users.insert(tenant.id, { username: 'session-owner', email: null, passwordHash: null });
      const disabled = await users.insert(tenant.id, { username: 'session-disabled', email: null, passwordHash: null });
      assert.ok('created' in active && 'created' in disabled);
      await users.updateIfUnchanged(tenant.id, disabled.created.id, disabled.created.updatedAt, { status: 'disabled' });
      const session = (userId: string, tokenHash: string, expiresAt = later) =>
        sessions.insert(tenant.id, { userId, tokenHash, authTime: now, amr: ['pwd'], expiresAt });
      const live = await session(active.created.id, 'l'.repeat(43));
      const ended = await session(active.created.id, 'e'.repeat(43));
      await sessions.end(tenant.id, ended, now);
      await session(active.created.id, 'x'.repeat(43), new Date(now.getTime() - 1));
      await session(disabled.created.id, 'd'.repeat(43));
      const other = await persistence.repositories.tenants.insert({ slug: uniqueSlug(), name: 'Other' });
      assert.ok(other);

      const found = await Promise.all([
        persistence.sessionLookups.findActive(tenant.id, 'l'.repeat(43), now),
        persistence.sessionLookups.findActive(tenant.id, 'e'.repeat(43), now),
        persistence.sessionLookups.findActive(tenant.id, 'x'.repeat(43), now),
        persistence.sessionLookups.findActive(tenant.id, 'd'.repeat(43), now),
        persistence.sessionLookups.findActive(other.id, 'l'.repeat(43), now),
        persistence.sessionLookups.findActive(tenant.id, 'u'.repeat(43), now),
        persistence.sessionLookups.findActive(tenant.id, 'l'.repeat(43), later),
      ]);
      assert.equal(found[0]?.id, live, 'the active session');
      assert.equal(found[0]?.userId, active.created.id);
      assert.deepEqual(
        found.slice(1),
        [null, null, null, null, null, null],
        'ended, expired, disabled user, other tenant, unknown, too late',
      );
    });

    it('pushed requests: used once, by their own client, before they expire', async () => {
      const { pushedRequests } = persistence.repositories;
      const now = new Date();
      const later = new Date(now.getTime() + 60_000);
      const request = { clientId: 'client-1', params: { scope: 'openid' }, signed: true, expiresAt: later };
      await pushedRequests.insert(tenant.id, { ...request, requestUriHash: 'p'.repeat(43) }, now);
      assert.equal(await pushedRequests.consume(tenant.id, 'p'.repeat(43), 'client-2', now), null, 'another client');
      assert.deepEqual(await pushedRequests.consume(tenant.id, 'p'.repeat(43), 'client-1', now), {
        params: { scope: 'openid' },
        signed: true,
      });
      assert.equal(await pushedRequests.consume(tenant.id, 'p'.repeat(43), 'client-1', now), null, 'used');
      await pushedRequests.insert(tenant.id, { ...request, requestUriHash: 'q'.repeat(43) }, now);
      assert.equal(await pushedRequests.consume(tenant.id, 'q'.repeat(43), 'client-1', later), null, 'expired');
    });

    it('a failed transaction leaves nothing behind', async () => {
      const slug = uniqueSlug('rollback');
      await assert.rejects(
        persistence.transaction(async (repos) => {
          await repos.tenants.insert({ slug, name: 'Doomed' });
          throw new Error('abort');
        }),
        /abort/,
      );
      assert.equal(await persistence.repositories.tenants.findBySlug(slug), null);
    });

    describe('tenant isolation', () => {
      let other: Tenant;
      before(async () => {
        const created = await persistence.repositories.tenants.insert({ slug: uniqueSlug('other'), name: 'Other' });
        assert.ok(created);
        other = created;
        await persistence.repositories.users.insert(tenant.id, {
          username: 'carol',
          email: 'carol@example.com',
          passwordHash: '$argon2id$c',
        });
        await persistence.repositories.clients.insert(tenant.id, sampleClient('isolated-client'));
        await persistence.repositories.signingKeys.insert(tenant.id, {
          kid: 'isolated-kid',
          alg: 'ES256',
          publicJwk: { kty: 'EC' },
          privateKeyCiphertext: 'v1.x.y.z',
          activatesAt: new Date(),
        });
      });

      it('users of tenant A are unknown to tenant B', async () => {
        const { users } = persistence.repositories;
        assert.equal(await users.findByUsername(other.id, 'carol'), null);
        assert.equal(await users.findPasswordHash(other.id, 'carol'), null);
        assert.equal(await users.countByTenant(other.id), 0);
        const sameName = await users.insert(other.id, { username: 'carol', email: 'carol@example.com', passwordHash: null });
        assert.ok('created' in sameName, 'the same username and email are free in another tenant');
      });

      it('clients of tenant A are unknown to tenant B', async () => {
        const { clients } = persistence.repositories;
        assert.equal(await clients.findByClientId(other.id, 'isolated-client'), null);
        assert.ok(!(await clients.listByTenant(other.id)).some((c) => c.clientId === 'isolated-client'));
      });

      it("token standing and logout's grant revocation read and change nothing of tenant A from tenant B", async () => {
        const { users, sessions, refreshTokens, tokenStanding, revokedTokens } = persistence.repositories;
        const inserted = await users.insert(tenant.id, { username: 'dave', email: null, passwordHash: null });
        assert.ok('created' in inserted);
        const userId = inserted.created.id;
        const now = new Date();
        const later = new Date(now.getTime() + 3_600_000);
        const sessionId = await sessions.insert(tenant.id, {
          userId,
          tokenHash: 's'.repeat(43),
          authTime: now,
          amr: ['pwd'],
          expiresAt: later,
        });
        const family = (scopes: string[]) =>
          refreshTokens.createFamily(tenant.id, {
            clientId: 'isolated-client',
            userId,
            sessionId,
            scopes,
            resource: null,
            authTime: now,
            amr: ['pwd'],
            absoluteExpiresAt: later,
          });
        const online = await family(['openid']);
        const offline = await family(['openid', 'offline_access']);
        const binding = { jti: 'standing-jti', clientId: 'isolated-client', userId, grantId: online, sessionId: null };

        assert.deepEqual(await tokenStanding.check(tenant.id, binding, now), { standing: true, userRoles: [] });
        assert.equal((await tokenStanding.check(other.id, binding, now)).standing, false);
        assert.equal((await tokenStanding.check(other.id, { ...binding, grantId: null, sessionId }, now)).standing, false);
        assert.deepEqual(await refreshTokens.revokeSessionBound(other.id, sessionId, null, now), []);
        await revokedTokens.revoke(other.id, ['standing-jti'], later);
        assert.equal((await tokenStanding.check(tenant.id, binding, now)).standing, true, 'untouched by tenant B');

        assert.deepEqual(await refreshTokens.revokeSessionBound(tenant.id, sessionId, null, now), [online]);
        assert.deepEqual(await tokenStanding.check(tenant.id, binding, now), { standing: false, reason: 'grant_revoked' });
        assert.equal((await tokenStanding.check(tenant.id, { ...binding, grantId: offline }, now)).standing, true, 'offline_access stays');
        await sessions.end(tenant.id, sessionId, now);
        assert.deepEqual(await tokenStanding.check(tenant.id, { ...binding, grantId: null, sessionId }, now), {
          standing: false,
          reason: 'session_ended',
        });
      });

      it('pushed requests of tenant A are neither consumed nor swept from tenant B', async () => {
        const { pushedRequests } = persistence.repositories;
        const now = new Date();
        const request = { clientId: 'isolated-client', params: {}, signed: false, expiresAt: new Date(now.getTime() + 60_000) };
        await pushedRequests.insert(tenant.id, { ...request, requestUriHash: 'i'.repeat(43) }, now);
        await pushedRequests.insert(other.id, { ...request, requestUriHash: 'j'.repeat(43) }, new Date(now.getTime() + 120_000));
        assert.equal(await pushedRequests.consume(other.id, 'i'.repeat(43), 'isolated-client', now), null);
        assert.ok(await pushedRequests.consume(tenant.id, 'i'.repeat(43), 'isolated-client', now), 'still there for tenant A');
      });

      it('signing keys of tenant A are neither listed nor superseded from tenant B', async () => {
        const { signingKeys } = persistence.repositories;
        assert.deepEqual(await signingKeys.findPublished(other.id, new Date()), []);
        assert.equal(await signingKeys.supersede(other.id, 'ES256', new Date(Date.now() + 60_000), new Date(Date.now() + 120_000)), 0);
        const mine = await signingKeys.findPublished(tenant.id, new Date());
        assert.equal(mine.find((k) => k.kid === 'isolated-kid')?.deactivatesAt, null);
      });
    });
  });
}
