import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { GatehouseConfig } from '@gatehouse/config';
import { GatehouseLogger, listen } from '@gatehouse/observability';
import { openInfrastructure, type Infrastructure } from '@gatehouse/persistence';
import { testConfig } from './environments.js';

type AppFactory = (config: GatehouseConfig, infrastructure: Infrastructure, logger: GatehouseLogger) => Promise<NestFastifyApplication>;

export interface HealthCheckBody {
  readonly name: string;
  readonly status: string;
  readonly error: string | null;
  readonly details?: Record<string, unknown>;
}

export interface HealthBody {
  readonly status: string;
  readonly checks: HealthCheckBody[];
  readonly timestamp: string;
}

/**
 * The platform's health contract, as every app keeps it: {status, checks: [{name, status, error}],
 * timestamp}; 200 when healthy or degraded, 503 when unhealthy. Suites share one database, so a
 * tenant's key or SIEM sink from another suite may make readiness degraded here: never assume healthy.
 */
export function assertHealthShape(body: unknown): asserts body is HealthBody {
  assert.ok(typeof body === 'object' && body !== null);
  const health = body as HealthBody;
  assert.deepEqual(Object.keys(health).sort(), ['checks', 'status', 'timestamp']);
  assert.match(health.status, /^(healthy|degraded|unhealthy)$/);
  assert.equal(new Date(health.timestamp).toISOString(), health.timestamp);
  assert.ok(Math.abs(Date.parse(health.timestamp) - Date.now()) < 60_000, 'the time of the evaluation');
  assert.ok(Array.isArray(health.checks));
  for (const check of health.checks) {
    const keys = Object.keys(check).filter((key) => key !== 'details');
    assert.deepEqual(keys.sort(), ['error', 'name', 'status'], JSON.stringify(check));
    assert.match(check.status, /^(healthy|degraded|unhealthy)$/);
    if (check.status === 'healthy') assert.equal(check.error, null);
    else assert.ok(typeof check.error === 'string' && check.error.length > 0);
  }
  const worst = health.checks.some((c) => c.status === 'unhealthy')
    ? 'unhealthy'
    : health.checks.some((c) => c.status === 'degraded')
      ? 'degraded'
      : 'healthy';
  assert.equal(health.status, worst, 'the overall status is the worst check');
}

export function checkNamed(body: HealthBody, name: string): HealthCheckBody | undefined {
  return body.checks.find((check) => check.name === name);
}

/** /health/live, and /health/ready over the app's real dependencies; `checks` are the names it reports without Redis. */
export function describeHealth(appName: string, createApp: AppFactory, checks: readonly string[]): void {
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

    it('GET /health/live answers 200 healthy with no checks: it touches no dependency', async () => {
      const response = await fetch(`${baseUrl}/health/live`);
      assert.equal(response.status, 200);
      const body: unknown = await response.json();
      assertHealthShape(body);
      assert.equal(body.status, 'healthy');
      assert.deepEqual(body.checks, []);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(response.headers.get('cache-control'), 'no-store');
    });

    it('GET /health/ready answers the contract: the database healthy, Redis only when configured', async () => {
      const response = await fetch(`${baseUrl}/health/ready`);
      assert.equal(response.status, 200);
      const body: unknown = await response.json();
      assertHealthShape(body);
      assert.notEqual(body.status, 'unhealthy');
      assert.deepEqual(checkNamed(body, 'database'), { name: 'database', status: 'healthy', error: null });
      const redis = checkNamed(body, 'redis');
      if (config.redisUrl) assert.deepEqual(redis, { name: 'redis', status: 'healthy', error: null });
      else assert.equal(redis, undefined, 'no Redis configured, no redis check');
      const expected = config.redisUrl ? [...checks, 'redis'] : checks;
      for (const name of expected) assert.ok(checkNamed(body, name), `${name} is checked`);
      assert.equal(response.headers.get('cache-control'), 'no-store');
    });

    it('an unknown route is a plain 404, not a stack trace', async () => {
      const response = await fetch(`${baseUrl}/no/such/route`);
      assert.equal(response.status, 404);
      assert.doesNotMatch(await response.text(), /at .*\.js:\d+/);
    });

    it('GET /health/ready answers 503 unhealthy naming the database once it is unreachable', async () => {
      await infrastructure.database.dataSource.destroy();
      const response = await fetch(`${baseUrl}/health/ready`);
      assert.equal(response.status, 503);
      const text = await response.text();
      assert.doesNotMatch(text, /at .*\.js:\d+|ECONNREFUSED|127\.0\.0\.1/, 'no stack, no driver message');
      const body: unknown = JSON.parse(text);
      assertHealthShape(body);
      assert.equal(body.status, 'unhealthy');
      assert.equal(checkNamed(body, 'database')?.status, 'unhealthy');
      assert.equal((await fetch(`${baseUrl}/health/live`)).status, 200, 'liveness does not depend on the database');
    });
  });
}
