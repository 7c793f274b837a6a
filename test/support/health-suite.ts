import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { GatehouseConfig } from '@gatehouse/config';
import { GatehouseLogger, listen } from '@gatehouse/observability';
import { openInfrastructure, type Infrastructure } from '@gatehouse/persistence';
import { testConfig } from './environments.js';

type AppFactory = (config: GatehouseConfig, infrastructure: Infrastructure, logger: GatehouseLogger) => Promise<NestFastifyApplication>;

/** The health contract every app keeps: /health/live, and /health/ready over its real dependencies. */
export function describeHealth(appName: string, createApp: AppFactory): void {
  describe(`${appName}: health endpoints over HTTP`, () => {
    let infrastructure: Infrastructure;
    let app: NestFastifyApplication;
    let baseUrl: string;
    const config = testConfig();

    before(async () => {
      infrastructure = await openInfrastructure(config);
      app = await createApp(config, infrastructure, new GatehouseLogger({ level: 'error', format: 'json', write: () => undefined }));
      baseUrl = await listen(app, '127.0.0.1', 0);
    });
    after(async () => {
      await app?.close();
      await infrastructure?.close();
    });

    it('GET /health/live answers 200', async () => {
      const response = await fetch(`${baseUrl}/health/live`);
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { status: 'ok' });
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    });

    it('GET /health/ready reports the database (and Redis when configured) as up', async () => {
      const response = await fetch(`${baseUrl}/health/ready`);
      assert.equal(response.status, 200);
      const body = (await response.json()) as { status: string; checks: Record<string, string> };
      assert.equal(body.status, 'ok');
      assert.equal(body.checks['database'], 'up');
      assert.equal(body.checks['redis'], config.redisUrl ? 'up' : undefined);
      assert.equal(response.headers.get('cache-control'), 'no-store');
    });

    it('an unknown route is a plain 404, not a stack trace', async () => {
      const response = await fetch(`${baseUrl}/no/such/route`);
      assert.equal(response.status, 404);
      assert.doesNotMatch(await response.text(), /at .*\.js:\d+/);
    });

    it('GET /health/ready answers 503 naming the database once it is unreachable', async () => {
      await infrastructure.database.dataSource.destroy();
      const response = await fetch(`${baseUrl}/health/ready`);
      assert.equal(response.status, 503);
      const body = (await response.json()) as { status: string; checks: Record<string, string> };
      assert.equal(body.checks['database'], 'down');
      assert.equal((await fetch(`${baseUrl}/health/live`)).status, 200, 'liveness does not depend on the database');
    });
  });
}
