import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SigningGaps } from '../repositories/signing-key.repository.js';
import { signingKeysReadiness } from './signing-keys.readiness.js';

const DAY_MS = 86_400_000;

function fakeKeys(answers: (SigningGaps | Error)[]) {
  const calls: { now: Date; warnBefore: Date }[] = [];
  return {
    calls,
    findSigningGaps: (now: Date, warnBefore: Date): Promise<SigningGaps> => {
      calls.push({ now, warnBefore });
      const answer = answers.shift() ?? { total: 0, tenants: [] };
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
  };
}

describe('signingKeysReadiness', () => {
  it('asks for gaps up to warnDays ahead, once per cache period', async () => {
    let clock = Date.parse('2026-12-04T10:00:00Z');
    const keys = fakeKeys([]);
    const check = signingKeysReadiness(keys, { warnDays: 14, now: () => new Date(clock), cacheMs: 10_000 });
    assert.deepEqual(await check.check(), { status: 'healthy' });
    clock += 9_999;
    await check.check();
    assert.equal(keys.calls.length, 1);
    assert.equal(keys.calls[0]?.warnBefore.getTime(), Date.parse('2026-12-04T10:00:00Z') + 14 * DAY_MS);
    clock += 1;
    await check.check();
    assert.equal(keys.calls.length, 2);
  });

  it('is degraded naming the tenants, and counts those it does not list', async () => {
    const until = new Date('2026-12-07T00:00:00Z');
    const keys = fakeKeys([
      {
        total: 3,
        tenants: [
          { slug: 'nokey', signing: false, signsUntil: null },
          { slug: 'soon', signing: true, signsUntil: until },
        ],
      },
    ]);
    const report = await signingKeysReadiness(keys, { warnDays: 14 }).check();
    assert.equal(report.status, 'degraded');
    assert.equal(
      report.error,
      'tenant nokey has no active signing key; tenant soon: signing keys stop signing at 2026-12-07T00:00:00.000Z with no successor; and 1 more tenant',
    );
    assert.deepEqual(report.details, {
      without_active_key: ['nokey'],
      expiring: [{ tenant: 'soon', signs_until: '2026-12-07T00:00:00.000Z' }],
      tenants_affected: 3,
    });
  });

  it('does not cache a failed query', async () => {
    const keys = fakeKeys([new Error('connection lost')]);
    const check = signingKeysReadiness(keys, { warnDays: 14 });
    await assert.rejects(check.check());
    assert.deepEqual(await check.check(), { status: 'healthy' });
  });
});
