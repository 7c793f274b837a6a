import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Persistence, type Database, type Tenant } from '@gatehouse/persistence';
import { AuditPipeline } from '../../src/pipeline/audit-pipeline.js';
import { OutboxConsumer } from '../../src/pipeline/outbox-consumer.js';
import {
  appendToOutbox,
  eventually,
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

for (const target of isolatedTargets()) {
  describe(
    `audit pipeline in direct mode (no REDIS_URL) on ${target.name}: the worker consumes the outbox itself`,
    { skip: target.skip },
    () => {
      let database: Database;
      let close: () => Promise<void>;
      let persistence: Persistence;

      before(async () => {
        // A database of its own: the consumer claims every tenant's outbox rows.
        ({ database, close } = await target.open());
        persistence = new Persistence(database);
      });
      after(async () => {
        await close?.();
      });

      const recorded = async (tenant: Tenant) =>
        Number(
          (
            await database.dataSource.query<{ n: string }[]>(`SELECT count(*) AS n FROM audit_records WHERE tenant_id = $1`, [tenant.id])
          )[0]!.n,
        );

      it('outbox events of two tenants are recorded by the OutboxConsumer, each tenant a chain of its own', async () => {
        const [a, b] = [await newTenant(persistence, 'da'), await newTenant(persistence, 'db')];
        const heard: number[] = [];
        const pipeline = new AuditPipeline({ redisUrl: undefined }, persistence, newRecorder(persistence), silentLogger, (batch) =>
          heard.push(batch.records.length),
        );
        assert.equal(pipeline.mode, 'direct');
        pipeline.start();
        try {
          await appendToOutbox(
            persistence,
            a,
            range(1, 30).map(() => loginEvent()),
          );
          await appendToOutbox(
            persistence,
            b,
            range(1, 20).map(() => loginEvent()),
          );
          await eventually(
            async () => (await recorded(a)) + (await recorded(b)),
            (n) => n === 50,
            10_000,
            '50 records',
          );
          await appendToOutbox(persistence, a, [loginEvent()]);
          await eventually(
            () => recorded(a),
            (n) => n === 31,
            10_000,
            'the 31st record',
          );
        } finally {
          await pipeline.stop();
        }
        assert.deepEqual(await sequencesOf(persistence, a.id), range(1, 31));
        assert.deepEqual(await sequencesOf(persistence, b.id), range(1, 20));
        assert.deepEqual(await verifyChain(persistence, a.id), { checked: 31, broken: null });
        assert.deepEqual(await verifyChain(persistence, b.id), { checked: 20, broken: null });
        assert.equal(
          heard.reduce((sum, n) => sum + n, 0),
          51,
          'onRecorded hears of every committed record',
        );
        const pending = await persistence.repositories.auditOutbox.countPending();
        assert.deepEqual(pending, { undispatched: 0, unrecorded: 0 });
      });

      it('consumers running side by side (SKIP LOCKED) record every event once', async () => {
        const tenants = [await newTenant(persistence, 'c1'), await newTenant(persistence, 'c2'), await newTenant(persistence, 'c3')];
        const consumers = [1, 2, 3].map(() => new OutboxConsumer(persistence, newRecorder(persistence), silentLogger, () => undefined));
        // Interleaved appends, so each claimed batch holds several tenants in varying order.
        for (let round = 0; round < 6; round += 1) {
          for (const tenant of [...tenants].sort(() => Math.random() - 0.5)) {
            await appendToOutbox(
              persistence,
              tenant,
              range(1, 10).map(() => loginEvent()),
            );
          }
        }
        const drain = async (consumer: OutboxConsumer) => {
          while ((await consumer.consumeOnce()) > 0);
        };
        await Promise.all(consumers.map(drain));
        for (const tenant of tenants) {
          assert.deepEqual(await sequencesOf(persistence, tenant.id), range(1, 60));
          assert.equal((await verifyChain(persistence, tenant.id)).broken, null);
        }
      });

      it('an event the store refuses stays in the outbox alone: the rest of the claimed batch is recorded, and it is once the store takes it', async () => {
        const tenant = await newTenant(persistence, 'dp');
        const events = await appendToOutbox(persistence, tenant, [
          loginEvent({ userId: 'alice' }),
          loginEvent({ userId: 'alice', clientId: REFUSED_CLIENT }),
          loginEvent({ userId: 'alice' }),
        ]);
        const consumer = new OutboxConsumer(persistence, newRecorder(persistence), silentLogger, () => undefined);
        await whileStoreRefuses(database, async () => {
          assert.equal(await consumer.consumeOnce(), 2, 'the batch failed as a whole, then went one event per transaction');
          assert.equal(await recorded(tenant), 2);
          const pending = await database.dataSource.query<{ id: string }[]>(
            `SELECT id FROM audit_outbox WHERE tenant_id = $1 AND recorded_at IS NULL`,
            [tenant.id],
          );
          assert.deepEqual(
            pending.map((row) => row.id),
            events.filter((event) => event.clientId === REFUSED_CLIENT).map((event) => event.id),
          );
        });
        while ((await consumer.consumeOnce()) > 0);
        assert.equal(await recorded(tenant), 3);
        assert.equal((await verifyChain(persistence, tenant.id)).broken, null);
      });
    },
  );
}
