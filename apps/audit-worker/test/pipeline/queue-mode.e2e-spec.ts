import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { Worker } from 'bullmq';
import { AUDIT_QUEUE, eventsOfJob, toJob } from '@gatehouse/audit';
import { openInfrastructure, Persistence, type Database, type Tenant } from '@gatehouse/persistence';
import { listen } from '@gatehouse/observability';
import { assertHealthShape, checkNamed, isolatedAppTargets, testConfig } from '../../../../test/support/index.js';
import { createAuditWorkerApp } from '../../src/audit-worker.app.js';
import { AuditPipeline } from '../../src/pipeline/audit-pipeline.js';
import { openAuditQueue } from '../../src/pipeline/audit-queue.connections.js';
import { OutboxRelay } from '../../src/pipeline/outbox-relay.js';
import {
  appendToOutbox,
  eventually,
  loginEvent,
  newRecorder,
  newTenant,
  range,
  sequencesOf,
  silentLogger,
  verifyChain,
} from './pipeline.fixture.js';
import { PrivateRedis, privateRedisUnavailable } from './private-redis.js';

for (const target of isolatedAppTargets()) {
  describe(
    `audit pipeline in queue mode: outbox -> relay -> BullMQ on a private Redis -> recorder (${target.name})`,
    { skip: privateRedisUnavailable || target.skip },
    () => {
      let own: Awaited<ReturnType<typeof target.open>>;
      let database: Database;
      let persistence: Persistence;
      const servers: PrivateRedis[] = [];

      const privateRedis = async (args: string[] = []) => {
        const redis = await PrivateRedis.start(args);
        servers.push(redis);
        return redis;
      };
      const count = async (sql: string, values: unknown[]) => Number((await database.dataSource.query<{ n: string }[]>(sql, values))[0]!.n);
      const undispatched = (tenant: Tenant) =>
        count(`SELECT count(*) AS n FROM audit_outbox WHERE tenant_id = $1 AND dispatched_at IS NULL`, [tenant.id]);
      const recorded = (tenant: Tenant) => count(`SELECT count(*) AS n FROM audit_records WHERE tenant_id = $1`, [tenant.id]);

      before(async () => {
        // A database of its own: the relay claims every tenant's outbox rows.
        own = await target.open();
        database = own.database;
        persistence = new Persistence(database);
      });
      after(async () => {
        for (const server of servers) await server.kill();
        await own?.close();
      });

      it('the relay sends the outbox rows in jobs of up to 200 events, in outbox order, under the cluster hash-tag prefix', async () => {
        const redis = await privateRedis();
        const tenant = await newTenant(persistence, 'jobs');
        const events = await appendToOutbox(
          persistence,
          tenant,
          range(1, 3).map(() => loginEvent()),
        );
        const queue = openAuditQueue(redis.url);
        try {
          const relay = new OutboxRelay(persistence, queue, silentLogger);
          assert.equal(await relay.relayOnce(), 3);
          assert.equal(await undispatched(tenant), 0);
          const [job, ...others] = await queue.getJobs(['waiting']);
          assert.equal(others.length, 0, 'one job for the three rows');
          assert.equal(job?.name, 'record-batch');
          assert.equal(job?.opts.attempts, 10);
          const carried = eventsOfJob(job.data);
          assert.deepEqual(
            carried.map((event) => event.id),
            events.map((event) => event.id),
          );
          assert.equal(carried[0]?.type, 'login.succeeded');
          assert.equal(carried[0]?.occurredAt.toISOString(), events[0]!.occurredAt.toISOString());
          assert.equal(await relay.relayOnce(), 0, 'dispatched rows are not sent again');

          // The commit was lost after Redis took the job: the rows go again, and collapse into the same job.
          await database.dataSource.query(`UPDATE audit_outbox SET dispatched_at = NULL WHERE tenant_id = $1`, [tenant.id]);
          assert.equal(await relay.relayOnce(), 3);
          assert.equal(await queue.count(), 1);

          // A larger turn: 200 events to a job.
          await appendToOutbox(
            persistence,
            tenant,
            range(1, 450).map(() => loginEvent()),
          );
          assert.equal(await relay.relayOnce(), 450);
          const sizes = (await queue.getJobs(['waiting'])).map((queued) => eventsOfJob(queued.data).length).sort((a, b) => a - b);
          assert.deepEqual(sizes, [3, 50, 200, 200]);

          const client = new Redis(redis.url);
          const keys = await client.keys('*');
          await client.quit();
          assert.ok(keys.length > 0);
          assert.ok(
            keys.every((key) => key.startsWith(`${AUDIT_QUEUE.prefix}:${AUDIT_QUEUE.name}:`)),
            `every key in one cluster slot: ${keys.join(' ')}`,
          );
        } finally {
          await queue.close();
        }
      });

      it('Redis killed during a burst: rows wait in the outbox, jobs Redis lost are re-sent, every event is recorded exactly once', async () => {
        const redis = await privateRedis();
        const tenant = await newTenant(persistence, 'burst');
        const recorder = newRecorder(persistence);
        let batches = 0;
        const pipeline = new AuditPipeline({ redisUrl: redis.url }, persistence, recorder, silentLogger, () => (batches += 1), {
          redispatchAfterMs: 1_500,
        });
        assert.equal(pipeline.mode, 'queue');
        pipeline.start();
        try {
          const ids: string[] = [];
          const appendChunk = async () =>
            ids.push(
              ...(
                await appendToOutbox(
                  persistence,
                  tenant,
                  range(1, 20).map(() => loginEvent()),
                )
              ).map((e) => e.id),
            );
          for (let chunk = 0; chunk < 5; chunk += 1) {
            await appendChunk();
            await new Promise((resolve) => setTimeout(resolve, 30));
          }
          await eventually(
            () => recorded(tenant),
            (n) => n > 0,
            10_000,
            'the first records',
          );

          // Midway: Redis dies with whatever jobs it held, and more events keep coming.
          await redis.kill();
          for (let chunk = 0; chunk < 5; chunk += 1) await appendChunk();
          await new Promise((resolve) => setTimeout(resolve, 1_000));
          assert.ok((await undispatched(tenant)) >= 100, 'the relay could not dispatch: the new rows wait in the outbox');
          const whileDown = await recorded(tenant);
          assert.ok(whileDown < 200);

          await redis.start(); // same port, empty
          const total = await eventually(
            () => recorded(tenant),
            (n) => n >= 200,
            25_000,
            'all 200 records',
          );

          assert.equal(total, 200);
          assert.equal(await undispatched(tenant), 0);
          assert.equal(await count(`SELECT count(*) AS n FROM audit_outbox WHERE tenant_id = $1 AND recorded_at IS NULL`, [tenant.id]), 0);
          const stored = await persistence.repositories.auditRecords.after(tenant.id, 0, 1_000);
          assert.deepEqual(stored.map((record) => record.id).sort(), [...ids].sort(), 'one record per outbox event, none twice');
          assert.deepEqual(await sequencesOf(persistence, tenant.id), range(1, 200));
          assert.deepEqual(await verifyChain(persistence, tenant.id), { checked: 200, broken: null });
          assert.ok(batches > 0 && batches < 200, `micro-batched: ${batches} batches for 200 events`);
        } finally {
          await pipeline.stop();
        }
      });

      it('jobs Redis lost (restarted empty) and jobs that failed for good are sent again from the outbox', async () => {
        const redis = await privateRedis();
        const tenant = await newTenant(persistence, 'lost');
        await appendToOutbox(
          persistence,
          tenant,
          range(1, 30).map(() => loginEvent()),
        );
        // Dispatched while no worker runs, then Redis loses them all.
        const first = openAuditQueue(redis.url);
        try {
          assert.equal(await new OutboxRelay(persistence, first, silentLogger).relayOnce(), 30);
        } finally {
          await first.close();
        }
        await redis.kill();
        await redis.start();

        const queue = openAuditQueue(redis.url);
        let failing: Worker | null = null;
        try {
          await queue.waitUntilReady();
          assert.equal(await queue.count(), 0, 'Redis lost every job');
          // One more event whose job (a legacy one-event job) exhausted its attempts (the database was down for longer than its backoff).
          const [doomed] = await appendToOutbox(persistence, tenant, [loginEvent()]);
          await queue.add('record', toJob(doomed!), { jobId: doomed!.id, attempts: 1 });
          await persistence.repositories.auditOutbox.markDispatched([doomed!.id], new Date());
          failing = new Worker(AUDIT_QUEUE.name, () => Promise.reject(new Error('database down')), {
            connection: { url: redis.url, maxRetriesPerRequest: null },
            prefix: AUDIT_QUEUE.prefix,
          });
          failing.on('error', () => undefined);
          await eventually(
            async () => (await queue.getJob(doomed!.id))?.getState(),
            (state) => state === 'failed',
            5_000,
            'the failed job',
          );
        } finally {
          await failing?.close();
          await queue.close();
        }

        const pipeline = new AuditPipeline({ redisUrl: redis.url }, persistence, newRecorder(persistence), silentLogger, () => undefined, {
          redispatchAfterMs: 300,
        });
        pipeline.start();
        try {
          assert.equal(
            await eventually(
              () => recorded(tenant),
              (n) => n >= 31,
              15_000,
              'the re-sent events',
            ),
            31,
          );
          assert.deepEqual(await verifyChain(persistence, tenant.id), { checked: 31, broken: null });
        } finally {
          await pipeline.stop();
        }
      });

      it('readiness is degraded (200) when Redis may evict keys (BullMQ would lose jobs), and when the policy cannot be read', async () => {
        for (const setup of [
          { args: [] as string[], policy: 'allkeys-lru', warning: /maxmemory-policy is allkeys-lru: set it to noeviction/ },
          {
            args: ['--rename-command', 'CONFIG', ''],
            policy: null,
            warning: /maxmemory-policy could not be read: make sure it is noeviction/,
          },
        ]) {
          const redis = await privateRedis(setup.args);
          if (setup.policy) {
            const client = new Redis(redis.url);
            await client.config('SET', 'maxmemory-policy', setup.policy);
            await client.quit();
          }
          const config = testConfig({ ...own.env, REDIS_URL: redis.url });
          const infrastructure = await openInfrastructure(config);
          const app = await createAuditWorkerApp(config, infrastructure, silentLogger);
          try {
            const base = await listen(app, '127.0.0.1', 0);
            const response = await fetch(`${base}/health/ready`);
            const body: unknown = await response.json();
            assertHealthShape(body);
            assert.equal(response.status, 200, 'degraded, not out of rotation');
            assert.equal(body.status, 'degraded');
            const eviction = checkNamed(body, 'redis-eviction-policy');
            assert.equal(eviction?.status, 'degraded');
            assert.ok(setup.warning.test(eviction?.error ?? '') && /noeviction/.test(eviction?.error ?? ''), JSON.stringify(eviction));
          } finally {
            await app.close();
            await infrastructure.close();
          }
        }
        // And none with noeviction.
        const redis = await privateRedis();
        const config = testConfig({ ...own.env, REDIS_URL: redis.url });
        const infrastructure = await openInfrastructure(config);
        const app = await createAuditWorkerApp(config, infrastructure, silentLogger);
        try {
          const body: unknown = await (await fetch(`${await listen(app, '127.0.0.1', 0)}/health/ready`)).json();
          assertHealthShape(body);
          assert.deepEqual(checkNamed(body, 'redis-eviction-policy'), { name: 'redis-eviction-policy', status: 'healthy', error: null });
        } finally {
          await app.close();
          await infrastructure.close();
        }
      });
    },
  );
}
