import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AuditEvent, OutboxEvent } from '@gatehouse/audit';
import { Persistence, type Tenant } from '@gatehouse/persistence';
import type { AuditRecorder } from '../../src/pipeline/audit-recorder.js';
import { appendToOutbox, isolatedTargets, newRecorder, newTenant, verifyChain } from './pipeline.fixture.js';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
/** Public addresses on several continents (they geolocate in the DB-IP database). */
const IPS = ['8.8.8.8', '1.1.1.1', '81.2.69.160', '200.160.2.3', '41.203.64.1', '203.0.178.1', '62.4.1.1', '151.101.1.1'];

/** Logins of 40 users from 8 addresses over an hour, bursts inside the velocity window, failures for unknown users. */
function logins(count: number, start: number): AuditEvent[] {
  // mulberry32: small, deterministic, and its low bits are as random as its high ones.
  let state = 11;
  const random = (n: number) => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4_294_967_296) * n);
  };
  let clock = start;
  return Array.from({ length: count }, (_, index) => {
    clock += random(20) === 0 ? random(600_000) : random(3_000);
    // One user hammered: velocity.user.
    const user = random(3) === 0 ? 0 : random(40);
    const failed = random(4) === 0;
    return {
      type: failed ? 'login.failed' : 'login.succeeded',
      outcome: failed ? 'failure' : 'success',
      occurredAt: new Date(clock),
      ...(failed && random(2) === 0 ? {} : { userId: `u-${user}` }),
      username: `user${user}`,
      ip: IPS[random(IPS.length)]!,
      userAgent: CHROME,
      ...(random(3) === 0 ? {} : { deviceId: `d-${user}-${random(3)}` }),
      details: { index },
    };
  });
}

for (const target of isolatedTargets()) {
  describe(`risk scoring in batch on ${target.name}`, { skip: target.skip }, () => {
    let close: () => Promise<void>;
    let persistence: Persistence;
    let recorder: AuditRecorder;

    before(async () => {
      const opened = await target.open();
      close = opened.close;
      persistence = new Persistence(opened.database);
      recorder = newRecorder(persistence);
    });
    after(async () => {
      await close?.();
    });

    const risksOf = async (tenant: Tenant) =>
      (await persistence.repositories.auditRecords.after(tenant.id, 0, 10_000)).map((record) => ({
        index: record.details?.['index'],
        risk: record.risk,
      }));

    it('300 logins of 40 users recorded in two batches get the scores and reasons of one at a time', async () => {
      const events = logins(300, Date.now() - 2 * 3_600_000);
      const [batched, single] = [await newTenant(persistence, 'risk-batch'), await newTenant(persistence, 'risk-single')];

      // One tenant: 100 stored first, then 200 in one batch (history from the store and from the batch).
      const first = await appendToOutbox(persistence, batched, events.slice(0, 100));
      await recorder.record(first);
      await recorder.record(await appendToOutbox(persistence, batched, events.slice(100)));

      // The other: the same events, each recorded on its own, in the order of the first tenant's chain.
      const order = (await risksOf(batched)).map((entry) => entry.index as number);
      const outbox: OutboxEvent[] = await appendToOutbox(persistence, single, events);
      const byIndex = new Map(outbox.map((event) => [event.details?.['index'] as number, event]));
      for (const index of order) await recorder.record([byIndex.get(index)!]);

      const expected = await risksOf(single);
      const actual = await risksOf(batched);
      assert.equal(actual.length, 300);
      assert.deepEqual(actual, expected);
      assert.ok(actual.filter((entry) => entry.risk.score > 0).length > 30, 'the logins trip the rules');
      const rules = new Set(actual.flatMap((entry) => entry.risk.reasons.map((reason) => reason.rule)));
      for (const rule of ['geo.new_country', 'device.new', 'velocity.user']) assert.ok(rules.has(rule), `${rule} tripped`);
      assert.equal((await verifyChain(persistence, batched.id)).broken, null);
    });
  });
}
