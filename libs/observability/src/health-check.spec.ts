import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateHealth, type ReadinessCheck } from './health-check.js';

const at = () => new Date('2026-12-04T10:00:00.000Z');
const check = (name: string, run: ReadinessCheck['check']): ReadinessCheck => ({ name, check: run });

describe('evaluateHealth', () => {
  it('is healthy when every check answers, with error null and the time of the evaluation', async () => {
    const health = await evaluateHealth([check('database', () => Promise.resolve())], at);
    assert.deepEqual(health, {
      status: 'healthy',
      checks: [{ name: 'database', status: 'healthy', error: null }],
      timestamp: '2026-12-04T10:00:00.000Z',
    });
  });

  it('is degraded, not unhealthy, when a check reports degraded; details are kept', async () => {
    const health = await evaluateHealth(
      [
        check('database', () => Promise.resolve()),
        check('siem-sinks', () => Promise.resolve({ status: 'degraded', error: 'SIEM sink s1 is retrying', details: { s1: 'retrying' } })),
      ],
      at,
    );
    assert.equal(health.status, 'degraded');
    assert.deepEqual(health.checks[1], {
      name: 'siem-sinks',
      status: 'degraded',
      error: 'SIEM sink s1 is retrying',
      details: { s1: 'retrying' },
    });
  });

  it('is unhealthy when a check throws, without the error text (it may name hosts)', async () => {
    const health = await evaluateHealth(
      [check('database', () => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.5:5432'))), check('redis', () => Promise.resolve())],
      at,
    );
    assert.equal(health.status, 'unhealthy');
    assert.deepEqual(health.checks[0], { name: 'database', status: 'unhealthy', error: 'unavailable' });
  });

  it('a hung check answers unhealthy once its timeout passes', async () => {
    const started = Date.now();
    const health = await evaluateHealth([check('database', () => new Promise(() => undefined))], at, 50);
    assert.ok(Date.now() - started < 1000);
    assert.deepEqual(health.checks[0], { name: 'database', status: 'unhealthy', error: 'no answer within 50 ms' });
  });
});
