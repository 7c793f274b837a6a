import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { AuditEvent } from '@gatehouse/audit';
import type { TenantId } from '@gatehouse/protocol';
import { Persistence, type Database, type NewAuthorizationCode, type NewFamily, type Tenant } from '@gatehouse/persistence';
import { databaseTargets, uniqueSlug } from '../../../test/support/index.js';

/**
 * The hot path's one-statement writes: codes stored with their audit event, redeemed once with their
 * tokens, family and event (a redemption that loses its race, or comes after a replay mark, stores
 * nothing); refresh rotation spending, replacing and auditing together or not at all.
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

    function newFamily(changes: Partial<NewFamily> = {}): NewFamily {
      return {
        clientId: 'web',
        userId,
        sessionId: null,
        scopes: ['orders:read'],
        resource: null,
        authTime: now,
        amr: ['pwd'],
        absoluteExpiresAt: new Date(now.getTime() + 3_600_000),
        ...changes,
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

    it('is consumed once; a second consumption is a replay', async () => {
      const codeHash = randomBytes(32).toString('hex');
      await persistence.repositories.codes.insert(tenant.id, newCode(codeHash), []);
      const first = await persistence.repositories.codes.consume(tenant.id, codeHash, now);
      assert.equal(first.outcome, 'consumed');
      assert.equal((await persistence.repositories.codes.consume(tenant.id, codeHash, now)).outcome, 'replayed');
    });

    it('redeems a code once: its tokens, family, first refresh token and event are stored with the consumption, or none of them', async () => {
      const { codes, refreshTokens } = persistence.repositories;
      const codeRedemptions = persistence.codes;
      const codeHash = randomBytes(32).toString('hex');
      await codes.insert(tenant.id, newCode(codeHash), []);
      const presented = await codeRedemptions.presented(tenant.id, codeHash);
      assert.ok(presented);
      assert.equal(presented.consumed, false);
      assert.equal(presented.user?.id, userId, 'the user comes with the code');
      const grantFor = (familyId: string, tokenHash: string) => ({
        family: { ...newFamily({ scopes: ['openid', 'offline_access'], authorizationDetails: [{ type: 'payment' }] }), id: familyId },
        firstToken: { tokenHash, expiresAt: new Date(now.getTime() + 600_000) },
      });
      const issued = (marker: string): AuditEvent => ({ type: 'token.issued', outcome: 'success', occurredAt: now, details: { marker } });

      const [winnerFamily, loserFamily] = [randomUUID(), randomUUID()];
      const [winnerToken, loserToken] = [randomBytes(32).toString('hex'), randomBytes(32).toString('hex')];
      const redemption = (marker: 'a' | 'b', familyId: string, tokenHash: string) => ({
        tenantId: tenant.id,
        codeId: presented.code.id,
        now,
        jtis: [`jti-${marker}`],
        grant: grantFor(familyId, tokenHash),
        events: [issued(marker)],
      });
      // Two redemptions of one code in one statement: exactly one wins.
      const outcomes = await codes.redeemMany([redemption('a', winnerFamily, winnerToken), redemption('b', loserFamily, loserToken)]);
      assert.equal(outcomes.filter(Boolean).length, 1, 'one redemption wins');
      const [won, lost] = outcomes[0] ? (['a', 'b'] as const) : (['b', 'a'] as const);
      const familyOf = { a: winnerFamily, b: loserFamily };
      const tokenOf = { a: winnerToken, b: loserToken };
      assert.equal((await refreshTokens.findByHash(tenant.id, tokenOf[won]))?.family.id, familyOf[won], "the winner's family and token");
      assert.deepEqual((await refreshTokens.findFamily(tenant.id, familyOf[won]))?.authorizationDetails, [{ type: 'payment' }]);
      assert.equal(await refreshTokens.findFamily(tenant.id, familyOf[lost]), null, "the loser's family is not stored");
      assert.equal(await refreshTokens.findByHash(tenant.id, tokenOf[lost]), null);
      const markers = await outboxMarkers();
      assert.ok(markers.includes(won));
      assert.equal(markers.includes(lost), false, "nor the loser's event");
      assert.equal((await codeRedemptions.presented(tenant.id, codeHash))?.consumed, true);

      // The replay finds what the winner issued, to revoke it.
      const marked = await codes.markReplayed(tenant.id, presented.code.id, now);
      assert.deepEqual(marked, { issuedJtis: [`jti-${won}`], grantId: familyOf[won] });
    });

    it('concurrent exchanges share the read and the redemption: each answers for itself, a code presented five times at once is redeemed once', async () => {
      const { codes } = persistence.repositories;
      const codeRedemptions = persistence.codes;
      const hashes = Array.from({ length: 6 }, () => randomBytes(32).toString('hex'));
      for (const hash of hashes) await codes.insert(tenant.id, newCode(hash), []);
      const unknown = randomBytes(32).toString('hex');
      const found = await Promise.all([...hashes, unknown].map((hash) => codeRedemptions.presented(tenant.id, hash)));
      assert.equal(found.at(-1), null, 'an unknown code is null in its place');
      const [contested, ...distinct] = found.slice(0, -1).map((presented) => presented?.code.id ?? '');
      const redeem = (codeId: string, marker: string) =>
        codeRedemptions.redeem({
          tenantId: tenant.id,
          codeId,
          now,
          jtis: [marker],
          grant: null,
          events: [{ type: 'token.issued', outcome: 'success', occurredAt: now, details: { marker } }],
        });
      const answers = await Promise.all([
        ...distinct.map((codeId, index) => redeem(codeId, `code-distinct-${index}`)),
        ...Array.from({ length: 5 }, (_, index) => redeem(contested ?? '', `code-contested-${index}`)),
      ]);
      assert.deepEqual(
        answers.slice(0, distinct.length),
        distinct.map(() => true),
      );
      assert.equal(answers.slice(distinct.length).filter(Boolean).length, 1, 'the contested code is redeemed once');
      const markers = (await outboxMarkers()).map(String);
      const contestedEvents = markers.filter((marker) => marker.startsWith('code-contested-'));
      assert.equal(contestedEvents.length, 1, 'one event for the contested code');
      const { issuedJtis } = await codes.markReplayed(tenant.id, contested ?? '', now);
      assert.deepEqual(issuedJtis, contestedEvents, "the code records the winner's tokens, whose event was written");
    });

    it('a code marked replayed, or spent by a failed check, is never redeemed', async () => {
      const { codes } = persistence.repositories;
      const codeRedemptions = persistence.codes;
      const late = (codeId: string) => ({ tenantId: tenant.id, codeId, now, jtis: ['jti-late'], grant: null, events: [] });
      const codeHash = randomBytes(32).toString('hex');
      await codes.insert(tenant.id, newCode(codeHash), []);
      const presented = await codeRedemptions.presented(tenant.id, codeHash);
      assert.ok(presented);
      await codes.markReplayed(tenant.id, presented.code.id, now);
      assert.equal(await codeRedemptions.redeem(late(presented.code.id)), false);

      const spentHash = randomBytes(32).toString('hex');
      await codes.insert(tenant.id, newCode(spentHash), []);
      const spent = await codeRedemptions.presented(tenant.id, spentHash);
      assert.ok(spent);
      assert.equal((await codes.consume(tenant.id, spentHash, now)).outcome, 'consumed');
      assert.equal(await codeRedemptions.redeem(late(spent.code.id)), false);
      assert.deepEqual((await codes.markReplayed(tenant.id, spent.code.id, now)).issuedJtis, []);
    });

    it('rotates a refresh token once: the successor and the event are written with the spend, and nothing on a second spend', async () => {
      const { refreshTokens } = persistence.repositories;
      const familyId = await refreshTokens.createFamily(tenant.id, newFamily({ id: randomUUID() }));
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
      assert.deepEqual(await refreshTokens.rotateMany([rotation(presented.id, second, 'rotated')]), ['rotated']);
      assert.ok((await refreshTokens.findByHash(tenant.id, first))?.usedAt, 'the presented token is spent');
      assert.equal((await refreshTokens.findByHash(tenant.id, second))?.family.id, familyId, 'its successor is stored');
      assert.ok((await outboxMarkers()).includes('rotated'));

      const third = randomBytes(32).toString('hex');
      assert.deepEqual(await refreshTokens.rotateMany([rotation(presented.id, third, 'reused')]), ['already-spent']);
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
      assert.equal(answers[0], 'already-spent', 'a spent token stays spent in a batch');
      assert.deepEqual([...answers.slice(1)].sort(), ['already-spent', 'rotated'], 'one of the two presentations of one token wins');
      const aWon = answers[1] === 'rotated';
      const winner = aWon ? raceA : raceB;
      const loser = aWon ? raceB : raceA;
      assert.ok(await refreshTokens.findByHash(tenant.id, winner), "the winner's successor is stored");
      assert.equal(await refreshTokens.findByHash(tenant.id, loser), null, "the loser's is not");
      assert.equal(await refreshTokens.findByHash(tenant.id, fourth), null);
      const markers = await outboxMarkers();
      assert.ok(markers.includes(aWon ? 'race-a' : 'race-b'), "the winner's event is written");
      assert.equal(markers.includes(aWon ? 'race-b' : 'race-a'), false, "the loser's is not");
      assert.equal(markers.includes('spent-again'), false);
    });

    it('a family revoked after its token was read: neither rotation nor a non-rotating refresh writes anything', async () => {
      const { refreshTokens } = persistence.repositories;
      const familyId = await refreshTokens.createFamily(tenant.id, newFamily({ id: randomUUID() }));
      const presentedHash = randomBytes(32).toString('hex');
      const expiresAt = new Date(now.getTime() + 600_000);
      await refreshTokens.insertToken(tenant.id, familyId, presentedHash, expiresAt);
      const [read] = await refreshTokens.redeemable([{ tenantId: tenant.id, tokenHash: presentedHash }]);
      assert.ok(read && read.token.family.revokedAt === null, 'read while the grant stands');
      assert.equal(await refreshTokens.revokeFamily(tenant.id, familyId, 'logout', now), true);

      const successorHash = randomBytes(32).toString('hex');
      const [outcome] = await refreshTokens.rotateMany([
        {
          tenantId: tenant.id,
          tokenId: read.token.id,
          now,
          successor: { familyId, tokenHash: successorHash, expiresAt },
          events: [{ type: 'token.refreshed', outcome: 'success', occurredAt: now, details: { marker: 'after-revocation' } }],
        },
      ]);
      assert.equal(outcome, 'grant-revoked');
      assert.equal((await refreshTokens.findByHash(tenant.id, presentedHash))?.usedAt, null, 'the token is not spent');
      assert.equal(await refreshTokens.findByHash(tenant.id, successorHash), null, 'no successor');
      assert.equal((await outboxMarkers()).includes('after-revocation'), false, 'no event');

      const [gone] = await refreshTokens.rotateMany([
        {
          tenantId: tenant.id,
          tokenId: randomUUID(),
          now,
          successor: { familyId, tokenHash: randomBytes(32).toString('hex'), expiresAt },
          events: [],
        },
      ]);
      assert.equal(gone, 'grant-revoked', 'a token erased meanwhile (with its user) is not a reuse either');

      assert.equal(await refreshTokens.extend(tenant.id, read.token.id, new Date(now.getTime() + 1_200_000)), false);
      assert.equal(
        (await refreshTokens.findByHash(tenant.id, presentedHash))?.expiresAt.getTime(),
        expiresAt.getTime(),
        'expiry unchanged',
      );
    });

    it('shares one statement among concurrent rotations, and still spends a token presented five times at once only once', async () => {
      const { refreshTokens } = persistence.repositories;
      const familyId = await refreshTokens.createFamily(tenant.id, newFamily());
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
        distinct.map(() => 'rotated'),
        'every distinct token rotates',
      );
      assert.equal(answers.slice(distinct.length).filter((answer) => answer === 'rotated').length, 1, 'the contested token rotates once');
      const markers = await outboxMarkers();
      assert.equal(markers.filter((marker) => String(marker).startsWith('contested-')).length, 1, 'one event for the contested token');
      assert.equal(markers.filter((marker) => String(marker).startsWith('distinct-')).length, distinct.length);
    });

    it('looks up presented refresh tokens with their users, in order, many in one query', async () => {
      const { refreshTokens } = persistence.repositories;
      const familyId = await refreshTokens.createFamily(tenant.id, newFamily({ scopes: ['openid'] }));
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
