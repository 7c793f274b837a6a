import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SinkCredentialsSealer } from '@gatehouse/audit';
import { GatehouseLogger, listen } from '@gatehouse/observability';
import { openInfrastructure, type Infrastructure } from '@gatehouse/persistence';
import {
  assertHealthShape,
  checkNamed,
  createScratchPostgres,
  testConfig,
  uniqueSlug,
  type HealthBody,
} from '../../../../test/support/index.js';
import { createAuditWorkerApp } from '../../src/audit-worker.app.js';
import { WebhookReceiver } from '../pipeline/webhook-receiver.js';

const SECRET = 'health-webhook-secret-0123456789';
const silent = new GatehouseLogger({ level: 'fatal', format: 'json', write: () => undefined });

describe(
  'audit worker readiness: a failing SIEM sink makes it degraded (200), not unhealthy',
  { skip: process.env['DATABASE_URL'] ? false : 'needs DATABASE_URL (a real PostgreSQL)' },
  () => {
    let scratch: Awaited<ReturnType<typeof createScratchPostgres>>;
    let infrastructure: Infrastructure;
    let app: NestFastifyApplication;
    let baseUrl: string;
    let receiver: WebhookReceiver;

    before(async () => {
      // A database of its own: the worker exports every tenant's sinks. Loopback targets need the operator's opt-in.
      scratch = await createScratchPostgres();
      const config = testConfig({ DATABASE_URL: scratch.url, REDIS_URL: undefined, SIEM_ALLOW_PRIVATE_TARGETS: 'true' });
      infrastructure = await openInfrastructure(config);
      app = await createAuditWorkerApp(config, infrastructure, silent);
      baseUrl = await listen(app, '127.0.0.1', 0);
      receiver = new WebhookReceiver(SECRET);
      receiver.status = 500;
      const repos = infrastructure.persistence.repositories;
      const tenant = await repos.tenants.insert({ slug: uniqueSlug('health-siem'), name: 'Health SIEM' });
      assert.ok(tenant);
      const sealer = new SinkCredentialsSealer(config.keyEncryptionKey);
      const sinkAt = async (url: string) => {
        const id = randomUUID();
        await repos.siemSinks.insert(tenant.id, {
          id,
          name: 'SOC',
          type: 'webhook',
          url,
          format: 'ocsf',
          credentials: sealer.seal({ tenantId: tenant.id, id }, { secret: SECRET }),
          ackEnabled: false,
          maxAttempts: 5,
        });
        return id;
      };
      failing.push(await sinkAt(await receiver.start()));
      failing.push(await sinkAt('http://127.0.0.1:9/unreachable')); // discard port: nothing listens
      await repos.auditOutbox.append(tenant.id, [{ type: 'login.succeeded', outcome: 'success', occurredAt: new Date(), userId: 'u1' }]);
    });
    const failing: string[] = [];
    after(async () => {
      await app?.close();
      await infrastructure?.close();
      await receiver?.stop();
      await scratch?.drop();
    });

    it('a sink answering 500 and one at a closed port: degraded, naming both, states in details', async () => {
      const deadline = Date.now() + 15_000;
      const probe = async (): Promise<{ status: number; body: HealthBody }> => {
        const response = await fetch(`${baseUrl}/health/ready`);
        const json: unknown = await response.json();
        assertHealthShape(json);
        return { status: response.status, body: json };
      };
      let { status, body } = await probe();
      while (!failing.every((id) => (checkNamed(body, 'siem-sinks')?.error ?? '').includes(id))) {
        if (Date.now() > deadline) assert.fail(`no degraded siem-sinks check: ${JSON.stringify(body)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
        ({ status, body } = await probe());
      }
      assert.equal(status, 200);
      assert.equal(body.status, 'degraded');
      assert.equal(checkNamed(body, 'database')?.status, 'healthy');
      const sinks = checkNamed(body, 'siem-sinks');
      assert.equal(sinks?.status, 'degraded');
      for (const id of failing) assert.match(sinks?.error ?? '', new RegExp(`SIEM sink ${id} is (retrying|dead-lettering)`));
      const states = sinks?.details?.['sinks'] as Record<string, { state: string }>;
      for (const id of failing) assert.notEqual(states[id]?.state, 'healthy');
      assert.equal(checkNamed(body, 'redis'), undefined, 'no Redis configured, no redis check');
    });
  },
);
