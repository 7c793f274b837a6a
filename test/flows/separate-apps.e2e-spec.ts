import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ENTRY_POINTS, processEnv, startProcess, type RunningProcess } from '../support/index.js';

const needs = process.env['DATABASE_URL'] && process.env['REDIS_URL'] ? false : 'needs DATABASE_URL and REDIS_URL';

/** Production shape: each app its own process on one PostgreSQL and one Redis. */
describe('the three apps as separate processes', { skip: needs }, () => {
  const running: RunningProcess[] = [];
  after(async () => {
    await Promise.all(running.map((p) => p.stop()));
  });

  const apps = [
    ['authorization', ENTRY_POINTS.authorization, /Authorization server listening on (http:[^\s"]+)/],
    ['admin', ENTRY_POINTS.admin, /Admin API listening on (http:[^\s"]+)/],
    ['audit-worker', ENTRY_POINTS.worker, /Audit worker health on (http:[^\s"]+)/],
  ] as const;

  for (const [name, entry, listening] of apps) {
    it(`${name} starts on PostgreSQL and reports database and Redis ready`, async () => {
      const process = startProcess(entry, processEnv({ LOG_FORMAT: 'json' }));
      running.push(process);
      const [, url] = await process.waitFor(listening);
      assert.match(process.output(), /Database: PostgreSQL at /);
      assert.doesNotMatch(process.output(), /embedded database/);
      const ready = await fetch(`${url}/health/ready`);
      // The audit worker reports more (its pipeline, Redis's eviction policy): database and Redis are what every app shares.
      const body = (await ready.json()) as { status: string; checks: Record<string, string> };
      assert.equal(body.status, 'ok');
      assert.equal(body.checks['database'], 'up');
      assert.equal(body.checks['redis'], 'up');
    });
  }
});
