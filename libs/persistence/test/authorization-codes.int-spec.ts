import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { AuditEvent } from '@gatehouse/audit';
import type { TenantId } from '@gatehouse/protocol';
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

      const rotation = (tokenId: string, tokenHash: string, marker: string) => ({
        tenantId: tenant.id,
        tokenId,
        now,
        successor: successor(tokenHash),
        events: [refreshed(marker)],
      });
      const second = randomBytes(32).toString('hex');
      assert.deepEqual(await refreshTokens.rotateMany([rotation(presented.id, second, 'rotated')]), [true]);
      assert.ok((await refreshTokens.findByHash(tenant.id, first))?.usedAt, 'the presented token is spent');
      assert.equal((await refreshTokens.findByHash(tenant.id, second))?.family.id, familyId, 'its successor is stored');
      assert.ok((await outboxMarkers()).includes('rotated'));

      const third = randomBytes(32).toString('hex');
      assert.deepEqual(await refreshTokens.rotateMany([rotation(presented.id, third, 'reused')]), [false]);
      assert.equal(await refreshTokens.findByHash(tenant.id, third), null, 'no successor for a spent token');
      assert.equal((await outboxMarkers()).includes('reused'), false, 'no event either');

      // Several rotations in one statement: each answers for itself, and the same token presented twice is spent once.
      const fourth = randomBytes(32).toString('hex');
      const [raceA, raceB] = [randomBytes(32).toString('hex'), randomBytes(32).toString('hex')];
      const secondToken = await refreshTokens.findByHash(tenant.id, second);
      assert.ok(secondToken);
      const answers = await refreshTokens.rotateMany([
        rotation(presented.id, fourth, 'spent-again'),
        rotation(secondToken.id, raceA, 'race-a'),
        rotation(secondToken.id, raceB, 'race-b'),
      ]);
      assert.equal(answers[0], false, 'a spent token stays spent in a batch');
      assert.equal(answers.filter(Boolean).length, 1, 'one of the two presentations of one token wins');
      const winner = answers[1] ? raceA : raceB;
      const loser = answers[1] ? raceB : raceA;
      assert.ok(await refreshTokens.findByHash(tenant.id, winner), "the winner's successor is stored");
      assert.equal(await refreshTokens.findByHash(tenant.id, loser), null, "the loser's is not");
      assert.equal(await refreshTokens.findByHash(tenant.id, fourth), null);
      const markers = await outboxMarkers();
      assert.ok(markers.includes(answers[1] ? 'race-a' : 'race-b'), "the winner's event is written");
      assert.equal(markers.includes(answers[1] ? 'race-b' : 'race-a'), false, "the loser's is not");
      assert.equal(markers.includes('spent-again'), false);
    });

    it('shares one statement among concurrent rotations, and still spends a token presented five times at once only once', async () => {
      const { refreshTokens } = persistence.repositories;
      const familyId = await refreshTokens.createFamily(tenant.id, {
        clientId: 'web',
        userId,
        sessionId: null,
        scopes: ['orders:read'],
        resource: null,
        authTime: now,
        amr: ['pwd'],
        absoluteExpiresAt: new Date(now.getTime() + 3_600_000),
      });
      const presentedHashes = Array.from({ length: 6 }, () => randomBytes(32).toString('hex'));
      for (const hash of presentedHashes) await refreshTokens.insertToken(tenant.id, familyId, hash, new Date(now.getTime() + 600_000));
      const redemptions = await Promise.all(presentedHashes.map((hash) => persistence.refreshTokens.redeemable(tenant.id, hash)));
      const [contested, ...distinct] = redemptions.map((redemption) => redemption?.token.id ?? '');
      const rotate = (tokenId: string, marker: string) =>
        persistence.refreshTokens.rotate({
          tenantId: tenant.id,
          tokenId,
          now,
          successor: { familyId, tokenHash: randomBytes(32).toString('hex'), expiresAt: new Date(now.getTime() + 600_000) },
          events: [{ type: 'token.refreshed', outcome: 'success', occurredAt: now, details: { marker } }],
        });
      const answers = await Promise.all([
        ...distinct.map((tokenId, index) => rotate(tokenId, `distinct-${index}`)),
        ...Array.from({ length: 5 }, (_, index) => rotate(contested ?? '', `contested-${index}`)),
      ]);
      assert.deepEqual(
        answers.slice(0, distinct.length),
        distinct.map(() => true),
        'every distinct token rotates',
      );
      assert.equal(answers.slice(distinct.length).filter(Boolean).length, 1, 'the contested token rotates once');
      const markers = await outboxMarkers();
      assert.equal(markers.filter((marker) => String(marker).startsWith('contested-')).length, 1, 'one event for the contested token');
      assert.equal(markers.filter((marker) => String(marker).startsWith('distinct-')).length, distinct.length);
    });

    it('looks up presented refresh tokens with their users, in order, many in one query', async () => {
      const { refreshTokens } = persistence.repositories;
      const familyId = await refreshTokens.createFamily(tenant.id, {
        clientId: 'web',
        userId,
        sessionId: null,
        scopes: ['openid'],
        resource: null,
        authTime: now,
        amr: ['pwd'],
        absoluteExpiresAt: new Date(now.getTime() + 3_600_000),
      });
      const known = randomBytes(32).toString('hex');
      await refreshTokens.insertToken(tenant.id, familyId, known, new Date(now.getTime() + 600_000));
      const unknown = randomBytes(32).toString('hex');
      const otherTenant = randomUUID() as TenantId;
      const [missing, found, foreign] = await refreshTokens.redeemable([
        { tenantId: tenant.id, tokenHash: unknown },
        { tenantId: tenant.id, tokenHash: known },
        { tenantId: otherTenant, tokenHash: known },
      ]);
      assert.equal(missing, null);
      assert.equal(foreign, null, "another tenant's lookup finds nothing");
      assert.equal(found?.token.family.id, familyId);
      assert.equal(found?.token.usedAt, null);
      assert.equal(found?.user?.id, userId, "the family's user comes with it");
      assert.ok(found?.user?.createdAt instanceof Date, 'with its timestamps as dates');
    });
  });
}
