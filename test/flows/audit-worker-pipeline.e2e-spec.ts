import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { findChainBreak, GENESIS_HASH, SinkCredentialsSealer } from '@gatehouse/audit';
import { GatehouseLogger, listen } from '@gatehouse/observability';
import { openInfrastructure, type Infrastructure, type Tenant } from '@gatehouse/persistence';
import { createAuditWorkerApp } from '../../apps/audit-worker/src/audit-worker.app.js';
import { WebhookReceiver } from '../../apps/audit-worker/test/pipeline/webhook-receiver.js';
import { assertHealthShape, checkNamed, createScratchPostgres, testConfig, uniqueSlug, type HealthBody } from '../support/index.js';

const silent = new GatehouseLogger({ level: 'fatal', format: 'json', write: () => undefined });
const SECRET = 'flow-webhook-secret-0123456789';

async function eventually<T>(probe: () => Promise<T>, check: (value: T) => boolean, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe(
  'audit worker flow: login events in the outbox -> scored, chained records -> the tenant SIEM webhook, readiness reporting it',
  { skip: process.env['DATABASE_URL'] ? false : 'needs DATABASE_URL (a real PostgreSQL)' },
  () => {
    let scratch: Awaited<ReturnType<typeof createScratchPostgres>>;
    let infrastructure: Infrastructure;
    let app: NestFastifyApplication;
    let baseUrl: string;
    let receiver: WebhookReceiver;
    let tenant: Tenant;
    let sinkId: string;

    before(async () => {
      // A database of its own: the worker consumes every tenant's outbox and exports every sink.
      scratch = await createScratchPostgres();
      const config = testConfig({ DATABASE_URL: scratch.url, REDIS_URL: undefined, SIEM_ALLOW_PRIVATE_TARGETS: 'true' });
      infrastructure = await openInfrastructure(config);
      const repos = infrastructure.persistence.repositories;
      tenant = (await repos.tenants.insert({ slug: uniqueSlug('flow'), name: 'Flow' }))!;
      receiver = new WebhookReceiver(SECRET);
      const url = await receiver.start();
      sinkId = randomUUID();
      await repos.siemSinks.insert(tenant.id, {
        id: sinkId,
        name: 'SOC',
        type: 'webhook',
        url,
        format: 'ocsf',
        credentials: new SinkCredentialsSealer(config.keyEncryptionKey).seal({ tenantId: tenant.id, id: sinkId }, { secret: SECRET }),
        ackEnabled: false,
        maxAttempts: 3,
      });
      app = await createAuditWorkerApp(config, infrastructure, silent);
      baseUrl = await listen(app, '127.0.0.1', 0);
    });
    after(async () => {
      await app?.close();
      await infrastructure?.close();
      await receiver?.stop();
      await scratch?.drop();
    });

    it('a risky login reaches the SIEM with its score, the chain verifies, and readiness shows an empty backlog and a healthy sink', async () => {
      const repos = infrastructure.persistence.repositories;
      const t = Date.now() - 2 * 3_600_000;
      await repos.auditOutbox.append(tenant.id, [
        { type: 'login.succeeded', outcome: 'success', occurredAt: new Date(t), userId: 'u1', ip: '8.8.8.8', deviceId: 'D1' },
        { type: 'login.succeeded', outcome: 'success', occurredAt: new Date(t + 3_600_000), userId: 'u1', ip: '1.1.1.1', deviceId: 'D2' },
        { type: 'token.issued', outcome: 'success', occurredAt: new Date(t + 3_600_500), userId: 'u1', clientId: 'app' },
      ]);

      await eventually(
        () => Promise.resolve(receiver.delivered().length),
        (n) => n === 3,
        'three records at the SIEM',
      );
      const records = await repos.auditRecords.after(tenant.id, 0, 10);
      assert.deepEqual(
        records.map((record) => [record.sequence, record.type, record.risk.score]),
        [
          [1, 'login.succeeded', 0],
          [2, 'login.succeeded', 50],
          [3, 'token.issued', 0],
        ],
      );
      assert.deepEqual(
        receiver.delivered(),
        records.map((record) => record.id),
      );
      assert.equal(receiver.badSignatures, 0);
      assert.equal(findChainBreak(records, GENESIS_HASH, 1), null);

      const ready = await eventually(
        async (): Promise<HealthBody> => {
          const body: unknown = await (await fetch(`${baseUrl}/health/ready`)).json();
          assertHealthShape(body);
          return body;
        },
        (body) => checkNamed(body, 'audit-pipeline')?.details?.['outbox_unrecorded'] === 0,
        'an empty backlog in readiness',
      );
      assert.equal(ready.status, 'healthy', JSON.stringify(ready));
      const sinks = checkNamed(ready, 'siem-sinks')?.details?.['sinks'] as Record<string, { state: string }> | undefined;
      assert.equal(sinks?.[sinkId]?.state, 'healthy');
    });
  },
);
