import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PrivateRedis, privateRedisUnavailable } from '../../apps/audit-worker/test/pipeline/private-redis.js';
import {
  assertHealthShape,
  checkNamed,
  createScratchPostgres,
  ENTRY_POINTS,
  processEnv,
  startProcess,
  type RunningProcess,
} from '../support/index.js';

const needs = process.env['DATABASE_URL'] && process.env['REDIS_URL'] ? false : 'needs DATABASE_URL and REDIS_URL';

/** Production shape: each app its own process on one PostgreSQL and one Redis. */
describe('the three apps as separate processes', { skip: needs || privateRedisUnavailable }, () => {
  const running: RunningProcess[] = [];
  // A database and a Redis of their own: the worker would otherwise record every tenant's outbox and take
  // other suites' audit jobs off the shared queue.
  let scratch: Awaited<ReturnType<typeof createScratchPostgres>> | undefined;
  let redis: PrivateRedis | undefined;
  before(async () => {
    scratch = await createScratchPostgres();
    redis = await PrivateRedis.start();
  });
  after(async () => {
    await Promise.all(running.map((p) => p.stop()));
    await redis?.kill();
    await scratch?.drop();
  });

  const apps = [
    ['authorization', ENTRY_POINTS.authorization, /Authorization server listening on (http:[^\s"]+)/],
    ['admin', ENTRY_POINTS.admin, /Admin API listening on (http:[^\s"]+)/],
    ['audit-worker', ENTRY_POINTS.worker, /Audit worker health on (http:[^\s"]+)/],
  ] as const;

  for (const [name, entry, listening] of apps) {
    it(`${name} starts on PostgreSQL and reports database and Redis ready`, async () => {
      const process = startProcess(entry, processEnv({ LOG_FORMAT: 'json', DATABASE_URL: scratch?.url, REDIS_URL: redis?.url }));
      running.push(process);
      const [, url] = await process.waitFor(listening);
      assert.match(process.output(), /Database: PostgreSQL at /);
      assert.doesNotMatch(process.output(), /embedded database/);
      const ready = await fetch(`${url}/health/ready`);
      assert.equal(ready.status, 200);
      const body: unknown = await ready.json();
      assertHealthShape(body);
      assert.notEqual(body.status, 'unhealthy');
      assert.deepEqual(checkNamed(body, 'database'), { name: 'database', status: 'healthy', error: null });
      assert.deepEqual(checkNamed(body, 'redis'), { name: 'redis', status: 'healthy', error: null });
      // The worker also reports its pipeline (outbox backlog), SIEM sinks and Redis's eviction policy.
      if (name === 'audit-worker') assert.equal(checkNamed(body, 'audit-pipeline')?.status, 'healthy');
      else assert.ok(checkNamed(body, 'signing-keys'));
    });
  }
});
