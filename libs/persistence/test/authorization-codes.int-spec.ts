import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { AuditEvent } from '@gatehouse/audit';
import { Persistence, type Database, type NewAuthorizationCode, type Tenant } from '@gatehouse/persistence';
import { databaseTargets, uniqueSlug } from '../../../test/support/index.js';

/** Codes are stored with their audit event in one statement, consumed once, and a replay stops a late recordIssued. */
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
  });
}
