import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SinkCredentialsSealer } from '@gatehouse/audit';
import { GatehouseLogger, listen } from '@gatehouse/observability';
import { openInfrastructure, type Infrastructure } from '@gatehouse/persistence';
import { createAdminServices } from '../../../admin/src/index.js';
import { createAuthorizationApp } from '../../../authorization/src/index.js';
import { createAuditWorkerApp } from '../../src/audit-worker.app.js';
import { PrivateRedis, privateRedisUnavailable } from '../pipeline/private-redis.js';
import { createScratchPostgres, freePort, metricsText, testConfig, uniqueSlug, valueOf } from '../../../../test/support/index.js';

const silent = new GatehouseLogger({ level: 'fatal', format: 'json', write: () => undefined });

async function eventually(probe: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('/metrics on the audit worker', { skip: process.env['DATABASE_URL'] ? false : 'needs DATABASE_URL (a real PostgreSQL)' }, () => {
  let scratch: Awaited<ReturnType<typeof createScratchPostgres>>;
  let infrastructure: Infrastructure;
  let worker: NestFastifyApplication;
  let authorization: NestFastifyApplication;
  let workerUrl: string;
  let authorizationUrl: string;
  let hook: Server;
  let hookRequests = 0;
  const slug = uniqueSlug('metrics');

  before(async () => {
    // A database of its own: the worker reads every tenant's outbox and exports every sink.
    scratch = await createScratchPostgres();
    const config = testConfig({ DATABASE_URL: scratch.url, REDIS_URL: undefined, SIEM_ALLOW_PRIVATE_TARGETS: 'true' });
    infrastructure = await openInfrastructure(config);
    const services = await createAdminServices(config, infrastructure.persistence);
    await services.tenants.create(slug);
    const tenant = (await infrastructure.persistence.repositories.tenants.findBySlug(slug))!;
    // A sink nobody listens on, one attempt: its first batch fails and is dead-lettered.
    const id = randomUUID();
    await infrastructure.persistence.repositories.siemSinks.insert(tenant.id, {
      id,
      name: 'Nowhere',
      type: 'webhook',
      url: `http://127.0.0.1:${await freePort()}/hook`,
      format: 'ocsf',
      credentials: new SinkCredentialsSealer(config.keyEncryptionKey).seal({ tenantId: tenant.id, id }, { secret: 'x'.repeat(32) }),
      ackEnabled: false,
      maxAttempts: 1,
    });
    // A sink that answers: its batch is a delivery.
    hook = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        hookRequests++;
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    const answeringId = randomUUID();
    await infrastructure.persistence.repositories.siemSinks.insert(tenant.id, {
      id: answeringId,
      name: 'Listener',
      type: 'webhook',
      url: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`,
      format: 'ocsf',
      credentials: new SinkCredentialsSealer(config.keyEncryptionKey).seal(
        { tenantId: tenant.id, id: answeringId },
        { secret: 'y'.repeat(32) },
      ),
      ackEnabled: false,
      maxAttempts: 1,
    });
    // A rotation gives the superseded keys an expiry: the expiry gauge has a series for the tenant.
    await services.keys.rotate(slug);
    await infrastructure.persistence.repositories.auditOutbox.append(tenant.id, [
      { type: 'login.succeeded', outcome: 'success', occurredAt: new Date(), userId: randomUUID(), username: 'alice' },
    ]);
    worker = await createAuditWorkerApp(config, infrastructure, silent);
    workerUrl = `${await listen(worker, '127.0.0.1', 0)}/metrics`;
    // The one-process mode: apps on one infrastructure share one registry.
    authorization = await createAuthorizationApp(config, infrastructure, silent);
    authorizationUrl = await listen(authorization, '127.0.0.1', 0);
  });
  after(async () => {
    await new Promise((resolve) => (hook ? hook.close(resolve) : resolve(undefined)));
    await authorization?.close();
    await worker?.close();
    await infrastructure?.close();
    await scratch?.drop();
  });

  it('reports outbox depth and lag, signing key age and expiry, and SIEM deliveries, failures and dead letters by sink type', async () => {
    await eventually(async () => {
      const text = await metricsText(workerUrl);
      return (
        valueOf(text, 'gatehouse_siem_dead_letters_total', { sink_type: 'webhook' }) >= 1 &&
        valueOf(text, 'gatehouse_siem_deliveries_total', { sink_type: 'webhook' }) >= 1 &&
        valueOf(text, 'gatehouse_signing_key_expires_in_seconds', { tenant: slug }) > 0
      );
    }, 'the dead letter, the delivery and the key expiry');
    const text = await metricsText(workerUrl);
    assert.ok(hookRequests >= 1, 'the answering sink received the batch');
    assert.ok(valueOf(text, 'gatehouse_siem_delivery_failures_total', { sink_type: 'webhook' }) >= 1, text);
    assert.match(text, /^gatehouse_audit_outbox_depth \d+$/m);
    assert.match(text, /^gatehouse_audit_outbox_lag_seconds [\d.e+-]+$/m);
    assert.match(text, /^# TYPE gatehouse_siem_deliveries_total counter$/m);
    assert.ok(valueOf(text, 'gatehouse_signing_key_age_seconds', { tenant: slug }) >= 0);
    assert.match(text, new RegExp(`^gatehouse_signing_key_age_seconds\\{tenant="${slug}"\\} `, 'm'));
    // The superseded keys expire after the rotation's overlap: days ahead, not past.
    const expiresIn = valueOf(text, 'gatehouse_signing_key_expires_in_seconds', { tenant: slug });
    assert.ok(expiresIn > 0 && expiresIn < 400 * 86_400, `expires in ${expiresIn} s:\n${text}`);
    assert.match(text, /^process_cpu_seconds_total /m);
  });

  it('in one process the worker lists the other apps too (one registry per deployment)', async () => {
    const discovery = await fetch(`${authorizationUrl}/t/${slug}/.well-known/openid-configuration`);
    assert.equal(discovery.status, 200);
    const fromWorker = await metricsText(workerUrl);
    assert.ok(
      valueOf(fromWorker, 'oauth_request_duration_seconds_count', { tenant: slug, endpoint: '/.well-known/openid-configuration' }) >= 1,
      fromWorker,
    );
    assert.equal(await metricsText(`${authorizationUrl}/metrics`).then((t) => t.includes('gatehouse_audit_outbox_depth')), true);
  });
});

describe(
  '/metrics on the audit worker in queue mode',
  { skip: privateRedisUnavailable || (process.env['DATABASE_URL'] ? false : 'needs DATABASE_URL (a real PostgreSQL)') },
  () => {
    it('reports the BullMQ queue depth by state', async () => {
      const scratch = await createScratchPostgres();
      const redis = await PrivateRedis.start();
      const config = testConfig({ DATABASE_URL: scratch.url, REDIS_URL: redis.url });
      const infrastructure = await openInfrastructure(config);
      const worker = await createAuditWorkerApp(config, infrastructure, silent);
      try {
        const url = `${await listen(worker, '127.0.0.1', 0)}/metrics`;
        const text = await metricsText(url);
        for (const state of ['waiting', 'active', 'delayed', 'failed']) {
          assert.match(text, new RegExp(`^gatehouse_queue_depth\\{queue="[\\w-]+",state="${state}"\\} \\d+$`, 'm'));
        }
      } finally {
        await worker.close();
        await infrastructure.close();
        await redis.kill();
        await scratch.drop();
      }
    });
  },
);
