import { randomUUID } from 'node:crypto';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { findChainBreak, type OutboxEvent } from '@gatehouse/audit';
import { Persistence, type Database, type Tenant } from '@gatehouse/persistence';
import { UnrecordedEvents, type AuditRecorder } from '../../src/pipeline/audit-recorder.js';
import { AuditRetention } from '../../src/pipeline/audit-retention.js';
import {
  appendToOutbox,
  isolatedTargets,
  loginEvent,
  newRecorder,
  newTenant,
  range,
  REFUSED_CLIENT,
  sequencesOf,
  silentLogger,
  verifyChain,
  whileStoreRefuses,
} from './pipeline.fixture.js';

const DAY = 86_400_000;

for (const target of isolatedTargets()) {
  describe(`audit recorder on ${target.name}: outbox events -> hash-chained audit records`, { skip: target.skip }, () => {
    let database: Database;
    let close: () => Promise<void>;
    let persistence: Persistence;
    let recorder: AuditRecorder;

    before(async () => {
      ({ database, close } = await target.open());
      persistence = new Persistence(database);
      recorder = newRecorder(persistence);
    });
    after(async () => {
      await close?.();
    });

    const unrecorded = async (tenant: Tenant) => {
      const rows = await database.dataSource.query<{ n: string }[]>(
        `SELECT count(*) AS n FROM audit_outbox WHERE tenant_id = $1 AND recorded_at IS NULL`,
        [tenant.id],
      );
      return Number(rows[0]!.n);
    };
    const outboxRows = async (tenant: Tenant) => {
      const rows = await database.dataSource.query<{ n: string }[]>(`SELECT count(*) AS n FROM audit_outbox WHERE tenant_id = $1`, [
        tenant.id,
      ]);
      return Number(rows[0]!.n);
    };

    it('records a batch as sequences 1..n of an intact chain and removes its rows from the outbox', async () => {
      const tenant = await newTenant(persistence);
      const start = Date.now() - 60_000;
      const events = await appendToOutbox(
        persistence,
        tenant,
        range(1, 12).map((index) =>
          loginEvent({ occurredAt: new Date(start + index * 1_000), userId: `user-${index % 3}`, details: { index, scopes: ['openid'] } }),
        ),
      );
      assert.equal(await unrecorded(tenant), 12);

      const batch = await recorder.record(events);

      assert.equal(batch.records.length, 12);
      assert.equal(batch.duplicates, 0);
      assert.deepEqual(await sequencesOf(persistence, tenant.id), range(1, 12));
      assert.deepEqual(await verifyChain(persistence, tenant.id), { checked: 12, broken: null });
      assert.equal(await unrecorded(tenant), 0);
      assert.equal(await outboxRows(tenant), 0, 'the outbox holds only what is in transit');
      assert.deepEqual((await persistence.repositories.auditRecords.head(tenant.id))?.sequence, 12);
      // Chain order follows the events' time; each record is its outbox event.
      const stored = await persistence.repositories.auditRecords.after(tenant.id, 0, 100);
      assert.deepEqual(
        stored.map((record) => record.id),
        events.map((event) => event.id),
      );
      assert.deepEqual(stored[3]?.details, { index: 4, scopes: ['openid'] });
      // What the recorder returned is exactly what the store gives back (the hash covers the stored form).
      assert.deepEqual(
        batch.records.map((record) => record.hash),
        stored.map((record) => record.hash),
      );
    });

    it('is idempotent: recording the same events again creates no second record', async () => {
      const tenant = await newTenant(persistence);
      const events = await appendToOutbox(
        persistence,
        tenant,
        range(1, 5).map(() => loginEvent()),
      );
      await recorder.record(events);

      const again = await recorder.record(events);
      assert.deepEqual(again, { records: [], duplicates: 5 });

      // A batch mixing recorded and new events records only the new ones, continuing the chain.
      const more = await appendToOutbox(persistence, tenant, [loginEvent(), loginEvent()]);
      const mixed = await recorder.record([...events.slice(2), ...more]);
      assert.equal(mixed.duplicates, 3);
      assert.deepEqual(
        mixed.records.map((record) => [record.id, record.sequence]),
        more.map((event, index) => [event.id, 6 + index]),
      );
      assert.deepEqual(await sequencesOf(persistence, tenant.id), range(1, 7));
      assert.equal((await verifyChain(persistence, tenant.id)).broken, null);
    });

    it('rows recorded by an earlier version (marked, not removed) are pruned after a day; rows in transit never', async () => {
      const tenant = await newTenant(persistence);
      const now = Date.now();
      const [legacyOld, legacyRecent, pending] = await appendToOutbox(persistence, tenant, [loginEvent(), loginEvent(), loginEvent()]);
      await database.dataSource.query(`UPDATE audit_outbox SET dispatched_at = $2, recorded_at = $2 WHERE id = $1`, [
        legacyOld!.id,
        new Date(now - DAY - 60_000),
      ]);
      await database.dataSource.query(`UPDATE audit_outbox SET dispatched_at = $2, recorded_at = $2 WHERE id = $1`, [
        legacyRecent!.id,
        new Date(now - 60_000),
      ]);
      await database.dataSource.query(`UPDATE audit_outbox SET dispatched_at = $2 WHERE id = $1`, [pending!.id, new Date(now - 2 * DAY)]);

      const result = await new AuditRetention(persistence, silentLogger, () => new Date(now)).runOnce();

      assert.ok(result.outbox >= 1);
      const left = await database.dataSource.query<{ id: string }[]>(`SELECT id FROM audit_outbox WHERE tenant_id = $1 ORDER BY id`, [
        tenant.id,
      ]);
      assert.deepEqual(left.map((row) => row.id).sort(), [legacyRecent!.id, pending!.id].sort());
    });

    it('an event delivered twice in one batch (a redelivered job) is recorded once', async () => {
      const tenant = await newTenant(persistence);
      const [event] = await appendToOutbox(persistence, tenant, [loginEvent()]);
      const batch = await recorder.record([event!, { ...event! }]);
      assert.equal(batch.records.length, 1);
      assert.equal(batch.duplicates, 1);
      assert.deepEqual(await sequencesOf(persistence, tenant.id), [1]);
    });

    it('two tenants in one batch get independent chains, each from 1', async () => {
      const [a, b] = [await newTenant(persistence, 'a'), await newTenant(persistence, 'b')];
      const eventsA = await appendToOutbox(
        persistence,
        a,
        range(1, 4).map(() => loginEvent({ userId: 'alice' })),
      );
      const eventsB = await appendToOutbox(
        persistence,
        b,
        range(1, 3).map(() => loginEvent({ userId: 'bob' })),
      );
      const interleaved = [eventsA[0]!, eventsB[0]!, eventsA[1]!, eventsB[1]!, eventsA[2]!, eventsB[2]!, eventsA[3]!];

      const batch = await recorder.record(interleaved);

      assert.equal(batch.records.length, 7);
      assert.deepEqual(await sequencesOf(persistence, a.id), range(1, 4));
      assert.deepEqual(await sequencesOf(persistence, b.id), range(1, 3));
      assert.deepEqual(await verifyChain(persistence, a.id), { checked: 4, broken: null });
      assert.deepEqual(await verifyChain(persistence, b.id), { checked: 3, broken: null });
      const recordsB = await persistence.repositories.auditRecords.after(b.id, 0, 10);
      assert.ok(recordsB.every((record) => record.tenantId === (b.id as string) && record.userId === 'bob'));
    });

    it('an event the store refuses fails alone: the rest of its tenant and the other tenants are recorded, and the error names it', async () => {
      await whileStoreRefuses(database, async () => {
        const [a, b, c] = [await newTenant(persistence, 'pa'), await newTenant(persistence, 'pb'), await newTenant(persistence, 'pc')];
        const eventsA = await appendToOutbox(persistence, a, [
          loginEvent({ userId: 'alice' }),
          loginEvent({ userId: 'alice', clientId: REFUSED_CLIENT }),
          loginEvent({ userId: 'alice' }),
        ]);
        // A tenant whose only event fails: the tenants after it in the batch are recorded all the same.
        const eventsB = await appendToOutbox(persistence, b, [loginEvent({ userId: 'bob', clientId: REFUSED_CLIENT })]);
        const eventsC = await appendToOutbox(persistence, c, [loginEvent({ userId: 'carol' }), loginEvent({ userId: 'carol' })]);
        const poisoned = [...eventsA, ...eventsB].filter((event) => event.clientId === REFUSED_CLIENT).map((event) => event.id);
        assert.equal(poisoned.length, 2);

        const error = await recorder.record([...eventsA, ...eventsB, ...eventsC]).then(
          () => assert.fail('the refused events must fail the call'),
          (thrown: unknown) => thrown,
        );
        assert.ok(error instanceof UnrecordedEvents, String(error));
        assert.deepEqual([...error.eventIds].sort(), [...poisoned].sort());
        assert.equal(error.recorded.records.length, 4);
        assert.deepEqual(await sequencesOf(persistence, a.id), range(1, 2));
        assert.deepEqual(await sequencesOf(persistence, b.id), []);
        assert.deepEqual(await sequencesOf(persistence, c.id), range(1, 2));
        assert.deepEqual(await verifyChain(persistence, a.id), { checked: 2, broken: null });
        assert.equal(await unrecorded(a), 1, "the refused event stays in A's outbox");
      });
    });

    it('concurrent record() calls for one tenant still make one gap-free chain, overlapping events recorded once', async () => {
      const tenant = await newTenant(persistence);
      const events = await appendToOutbox(
        persistence,
        tenant,
        range(1, 60).map(() => loginEvent()),
      );
      const slices: OutboxEvent[][] = [0, 1, 2, 3, 4, 5].map((part) => events.slice(part * 10, part * 10 + 10));
      // Two more calls race with the others over events they also carry (a job retried while the first run is in flight).
      slices.push(events.slice(5, 15), events.slice(50, 60));

      const batches = await Promise.all(slices.map((slice) => recorder.record(slice)));

      assert.equal(
        batches.reduce((sum, batch) => sum + batch.records.length, 0),
        60,
      );
      assert.equal(
        batches.reduce((sum, batch) => sum + batch.duplicates, 0),
        20,
      );
      assert.deepEqual(await sequencesOf(persistence, tenant.id), range(1, 60));
      assert.deepEqual(await verifyChain(persistence, tenant.id), { checked: 60, broken: null });
      const ids = (await persistence.repositories.auditRecords.after(tenant.id, 0, 100)).map((record) => record.id);
      assert.deepEqual([...ids].sort(), events.map((event) => event.id).sort());
    });

    it('a username truncated to its column keeps the chain verifiable (no half of a surrogate pair is stored)', async () => {
      const tenant = await newTenant(persistence);
      // 128 UTF-16 units; lower-casing 'İ' adds one, so a cut at 128 would fall inside the last emoji.
      const username = `İa${'😀'.repeat(63)}`;
      assert.equal(username.length, 128);
      const events = await appendToOutbox(persistence, tenant, [
        loginEvent({ type: 'login.failed', outcome: 'failure', userId: undefined, username, userAgent: `Agent/${'x'.repeat(600)}` }),
      ]);
      await recorder.record(events);
      assert.deepEqual(await verifyChain(persistence, tenant.id), { checked: 1, broken: null });
      const [stored] = await persistence.repositories.auditRecords.after(tenant.id, 0, 1);
      assert.ok(stored?.username?.startsWith('i̇a😀'));
      assert.doesNotMatch(stored?.username ?? '', /\uFFFD/);
      assert.equal(stored?.userAgent?.length, 512);
    });

    it('tampering: a risk score changed by SQL is named by findChainBreak', async () => {
      const tenant = await newTenant(persistence);
      const events = await appendToOutbox(
        persistence,
        tenant,
        range(1, 6).map(() => loginEvent()),
      );
      const { records } = await recorder.record(events);
      const victim = records[3]!;
      assert.equal((await verifyChain(persistence, tenant.id)).broken, null);

      await database.dataSource.query(`UPDATE audit_records SET risk_score = 0, risk_reasons = '[]' WHERE id = $1`, [victim.id]);
      await database.dataSource.query(`UPDATE audit_records SET risk_score = 99 WHERE id = $1`, [victim.id]);

      const stored = await persistence.repositories.auditRecords.after(tenant.id, 0, 100);
      assert.deepEqual(findChainBreak(stored, stored[0]!.previousHash, 1), { sequence: 4, id: victim.id, reason: 'hash_mismatch' });
      assert.deepEqual((await verifyChain(persistence, tenant.id)).broken, { sequence: 4, id: victim.id, reason: 'hash_mismatch' });
    });

    it("retention deletes records older than the tenant's audit_retention_days; the rest verifies from its anchor and keeps growing", async () => {
      const tenant = await newTenant(persistence);
      await database.dataSource.query(`UPDATE tenants SET audit_retention_days = 30 WHERE id = $1`, [tenant.id]);
      const now = Date.now();
      const old = await appendToOutbox(
        persistence,
        tenant,
        [40, 39, 31].map((days) => loginEvent({ occurredAt: new Date(now - days * DAY) })),
      );
      const recent = await appendToOutbox(
        persistence,
        tenant,
        [29, 1].map((days) => loginEvent({ occurredAt: new Date(now - days * DAY) })),
      );
      await recorder.record([...old, ...recent]);

      const result = await new AuditRetention(persistence, silentLogger, () => new Date(now)).runOnce();

      assert.ok(result.records >= 3);
      assert.deepEqual(await sequencesOf(persistence, tenant.id), [4, 5]);
      assert.deepEqual(await verifyChain(persistence, tenant.id), { checked: 2, broken: null });
      const anchor = await persistence.repositories.auditRecords.anchor(tenant.id);
      assert.equal(anchor?.sequence, 4);
      assert.notEqual(anchor?.previousHash, '0'.repeat(64), 'the anchor is the hash of the deleted record 3, not genesis');

      await recorder.record(await appendToOutbox(persistence, tenant, [loginEvent()]));
      assert.deepEqual(await sequencesOf(persistence, tenant.id), [4, 5, 6]);
      assert.deepEqual(await verifyChain(persistence, tenant.id), { checked: 3, broken: null });
    });

    it('a prefix deleted outside retention is a gap, not a new anchor', async () => {
      const tenant = await newTenant(persistence);
      await recorder.record(
        await appendToOutbox(
          persistence,
          tenant,
          range(1, 4).map(() => loginEvent()),
        ),
      );
      await database.dataSource.query(`DELETE FROM audit_records WHERE tenant_id = $1 AND sequence <= 2`, [tenant.id]);
      const { broken } = await verifyChain(persistence, tenant.id);
      assert.equal(broken?.reason, 'sequence_gap');
      assert.equal(broken?.sequence, 3);
    });

    it('retention keeps what an enabled SIEM sink has not exported yet and dead letters awaiting replay', async () => {
      const tenant = await newTenant(persistence);
      await database.dataSource.query(`UPDATE tenants SET audit_retention_days = 30 WHERE id = $1`, [tenant.id]);
      const now = Date.now();
      await recorder.record(
        await appendToOutbox(
          persistence,
          tenant,
          [40, 39, 38, 37].map((days) => loginEvent({ occurredAt: new Date(now - days * DAY) })),
        ),
      );
      const sink = await persistence.repositories.siemSinks.insert(tenant.id, {
        id: randomUUID(),
        name: 'lagging',
        type: 'webhook',
        url: 'https://siem.example/hook',
        format: 'ocsf',
        credentials: null,
        ackEnabled: false,
        maxAttempts: 3,
      });
      // The sink starts at the head (4); pretend it has only exported up to 2.
      await database.dataSource.query(`UPDATE siem_sinks SET exported_sequence = 2 WHERE id = $1`, [sink.id]);
      await new AuditRetention(persistence, silentLogger, () => new Date(now)).runOnce();
      assert.deepEqual(await sequencesOf(persistence, tenant.id), [3, 4]);
      assert.deepEqual(await verifyChain(persistence, tenant.id), { checked: 2, broken: null });
      await persistence.repositories.siemSinks.delete(tenant.id, sink.id);
    });

    it('retention removes only a prefix of the chain, even when a late event put an old record after newer ones', async () => {
      const tenant = await newTenant(persistence);
      await database.dataSource.query(`UPDATE tenants SET audit_retention_days = 30 WHERE id = $1`, [tenant.id]);
      const now = Date.now();
      await recorder.record(await appendToOutbox(persistence, tenant, [loginEvent({ occurredAt: new Date(now - 40 * DAY) })]));
      await recorder.record(await appendToOutbox(persistence, tenant, [loginEvent({ occurredAt: new Date(now - 2 * DAY) })]));
      // Recorded late (a batch retried for a long time): older than the cutoff, but after sequence 2.
      await recorder.record(await appendToOutbox(persistence, tenant, [loginEvent({ occurredAt: new Date(now - 35 * DAY) })]));
      await recorder.record(await appendToOutbox(persistence, tenant, [loginEvent({ occurredAt: new Date(now - DAY) })]));

      await new AuditRetention(persistence, silentLogger, () => new Date(now)).runOnce();

      assert.deepEqual(await sequencesOf(persistence, tenant.id), [2, 3, 4], 'only the prefix [1] goes; 3 waits for what precedes it');
      assert.deepEqual(await verifyChain(persistence, tenant.id), { checked: 3, broken: null });
    });
  });
}
