import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { AuditEvent } from '@gatehouse/audit';
import { Persistence, type Database, type NewAuthorizationCode, type Tenant } from '@gatehouse/persistence';
import { databaseTargets, uniqueSlug } from '../../../test/support/index.js';

/**
 * The hot path's one-statement writes: codes stored with their audit event, consumed once, a replay
 * stopping a late recordIssued; refresh rotation spending, replacing and auditing together or not at all.
 */
for (const target of databaseTargets()) {
  describe(`authorization codes on ${target.name}`, { skip: target.skip }, () => {
    let database: Database;
    let persistence: Persistence;
    let tenant: Tenant;
    let userId: string;
    const now = new Date('2026-12-05T10:00:00Z');

    before(async () => {
      database = await target.open();
      persistence = new Persistence(database);
      const created = await persistence.repositories.tenants.insert({ slug: uniqueSlug('codes'), name: 'Codes' });
      assert.ok(created);
      tenant = created;
      const user = await persistence.repositories.users.insert(tenant.id, { username: 'cora', email: null, passwordHash: '$argon2id$x' });
      assert.ok('created' in user);
      userId = user.created.id;
    });
    after(async () => database?.close());

    function newCode(codeHash = randomBytes(32).toString('hex')): NewAuthorizationCode {
      return {
        codeHash,
        clientId: 'web',
        userId,
        sessionId: null,
        redirectUri: 'https://app.example/cb',
        scopes: ['openid'],
        resource: null,
        nonce: null,
        codeChallenge: 'challenge',
        authTime: now,
        amr: ['pwd'],
        expiresAt: new Date(now.getTime() + 60_000),
      };
    }

    const requested = (marker: string): AuditEvent => ({
      type: 'authorization.requested',
      outcome: 'success',
      occurredAt: now,
      clientId: 'web',
      userId,
      details: { marker },
    });

    async function outboxMarkers(): Promise<unknown[]> {
      const events = await persistence.repositories.auditOutbox.listByTenant(tenant.id, 1_000);
      return events.map((event) => (event.details as { marker?: unknown } | undefined)?.marker);
    }

    it('stores the code and its audit event together, and neither when the code cannot be stored', async () => {
      const codeHash = randomBytes(32).toString('hex');
      await persistence.repositories.codes.insert(tenant.id, newCode(codeHash), [requested('first')]);
      assert.ok((await outboxMarkers()).includes('first'));
      const consumed = await persistence.repositories.codes.consume(tenant.id, codeHash, now);
      assert.equal(consumed.outcome, 'consumed');
      // The code's user comes back with it, as the users repository reads it.
      assert.ok(consumed.outcome === 'consumed' && consumed.user);
      assert.deepEqual(consumed.user, await persistence.repositories.users.findById(tenant.id, userId));
      assert.ok(consumed.user.createdAt instanceof Date);

      // The same hash again breaks the unique index: the statement fails whole, its event included.
      await assert.rejects(persistence.repositories.codes.insert(tenant.id, newCode(codeHash), [requested('duplicate')]));
      assert.equal((await outboxMarkers()).includes('duplicate'), false);
    });

    it('is consumed once; a second consumption is a replay; recordIssued after the replay mark reports false', async () => {
      const codeHash = randomBytes(32).toString('hex');
      await persistence.repositories.codes.insert(tenant.id, newCode(codeHash), []);
      const first = await persistence.repositories.codes.consume(tenant.id, codeHash, now);
      assert.equal(first.outcome, 'consumed');
      assert.ok(first.outcome === 'consumed');
      assert.equal((await persistence.repositories.codes.consume(tenant.id, codeHash, now)).outcome, 'replayed');
      assert.equal(await persistence.repositories.codes.recordIssued(tenant.id, first.code.id, ['jti-1']), true);
      const marked = await persistence.repositories.codes.markReplayed(tenant.id, first.code.id, now);
      assert.deepEqual(marked.issuedJtis, ['jti-1']);
      assert.equal(await persistence.repositories.codes.recordIssued(tenant.id, first.code.id, ['jti-2']), false);
    });

    it('rotates a refresh token once: the successor and the event are written with the spend, and nothing on a second spend', async () => {
      const { refreshTokens } = persistence.repositories;
      const familyId = await refreshTokens.createFamily(tenant.id, {
        id: randomUUID(),
        clientId: 'web',
        userId,
        sessionId: null,
        scopes: ['orders:read'],
        resource: null,
        authTime: now,
        amr: ['pwd'],
        absoluteExpiresAt: new Date(now.getTime() + 3_600_000),
      });
      const first = randomBytes(32).toString('hex');
      await refreshTokens.insertToken(tenant.id, familyId, first, new Date(now.getTime() + 600_000));
      const presented = await refreshTokens.findByHash(tenant.id, first);
      assert.ok(presented);
      const successor = (tokenHash: string) => ({ familyId, tokenHash, expiresAt: new Date(now.getTime() + 600_000) });
      const refreshed = (marker: string): AuditEvent => ({
        type: 'token.refreshed',
        outcome: 'success',
        occurredAt: now,
        details: { marker },
      });

      const second = randomBytes(32).toString('hex');
      assert.equal(await refreshTokens.rotate(tenant.id, presented.id, now, successor(second), [refreshed('rotated')]), true);
      assert.ok((await refreshTokens.findByHash(tenant.id, first))?.usedAt, 'the presented token is spent');
      assert.equal((await refreshTokens.findByHash(tenant.id, second))?.family.id, familyId, 'its successor is stored');
      assert.ok((await outboxMarkers()).includes('rotated'));

      const third = randomBytes(32).toString('hex');
      assert.equal(await refreshTokens.rotate(tenant.id, presented.id, now, successor(third), [refreshed('reused')]), false);
      assert.equal(await refreshTokens.findByHash(tenant.id, third), null, 'no successor for a spent token');
      assert.equal((await outboxMarkers()).includes('reused'), false, 'no event either');
    });
  });
}
