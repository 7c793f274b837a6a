import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AuditRecord } from '@gatehouse/audit';
import { Persistence, type Database, type Tenant } from '@gatehouse/persistence';
import type { AuditRecorder } from '../../src/pipeline/audit-recorder.js';
import { appendToOutbox, isolatedTargets, loginEvent, newRecorder, newTenant, range } from './pipeline.fixture.js';

const T = new Date(Date.now() - 3 * 3_600_000);
const later = (minutes: number) => new Date(T.getTime() + minutes * 60_000);
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const SAFARI = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15';

const rulesOf = (record: AuditRecord | undefined) => record?.risk.reasons.map((reason) => [reason.rule, reason.points]);

for (const target of isolatedTargets()) {
  describe(
    `risk scoring through the recorder on ${target.name} (geo from the DB-IP database, device, velocity)`,
    { skip: target.skip },
    () => {
      let database: Database;
      let close: () => Promise<void>;
      let persistence: Persistence;
      let recorder: AuditRecorder;
      let tenant: Tenant;

      before(async () => {
        ({ database, close } = await target.open());
        persistence = new Persistence(database);
        recorder = newRecorder(persistence);
        tenant = await newTenant(persistence, 'risk');
      });
      after(async () => {
        await close?.();
      });

      const record = async (...events: Parameters<typeof loginEvent>[0][]) =>
        (
          await recorder.record(
            await appendToOutbox(
              persistence,
              tenant,
              events.map((event) => loginEvent(event)),
            ),
          )
        ).records;

      it('a login from a new device in a new country an hour after one in the US scores 50: geo counted once + device.new', async () => {
        const [first] = await record({ userId: 'u-alice', ip: '8.8.8.8', deviceId: 'D1', userAgent: CHROME, occurredAt: T });
        assert.deepEqual(first?.risk, { score: 0, reasons: [] }, 'a first login has nothing to compare with');
        assert.equal(first?.geo.kind === 'located' && first.geo.country, 'US');
        assert.deepEqual(first?.device, { id: 'D1', browser: 'Chrome 120', os: 'Windows 10' });

        const [second] = await record({ userId: 'u-alice', ip: '1.1.1.1', deviceId: 'D2', userAgent: SAFARI, occurredAt: later(60) });

        assert.equal(second?.geo.kind === 'located' && second.geo.country, 'AU');
        assert.equal(second?.risk.score, 50);
        assert.deepEqual(rulesOf(second), [
          ['geo.new_country', 30],
          ['geo.impossible_travel', 0],
          ['device.new', 20],
        ]);
        const [country, travel, device] = second.risk.reasons;
        assert.match(country!.detail, /login from AU, not seen before \(seen: US\)/);
        assert.match(travel!.detail, /km from US to AU in 60 min: .* km\/h, limit 900 km\/h \(geographic anomaly counted once\)/);
        assert.equal(device!.detail, 'new device (unknown device cookie; Safari 17 on Mac OS 14.2); 1 known device');
        // The stored record carries the same assessment.
        const [stored] = await persistence.repositories.auditRecords.byIds(tenant.id, [second.id]);
        assert.deepEqual(stored?.risk, second?.risk);
      });

      it('the same pair scores the same when both logins arrive in one batch (history from earlier in the batch)', async () => {
        const records = await record(
          { userId: 'u-bruno', ip: '1.1.1.1', deviceId: 'D2', occurredAt: later(60) },
          { userId: 'u-bruno', ip: '8.8.8.8', deviceId: 'D1', occurredAt: T },
        );
        const byIp = new Map(records.map((r) => [r.ip, r]));
        assert.equal(byIp.get('8.8.8.8')?.risk.score, 0);
        assert.equal(byIp.get('1.1.1.1')?.risk.score, 50);
        assert.ok(byIp.get('8.8.8.8')!.sequence < byIp.get('1.1.1.1')!.sequence, 'the chain follows event time');
      });

      it('the known device in the known country scores 0', async () => {
        await record({ userId: 'u-carla', ip: '8.8.8.8', deviceId: 'D1', occurredAt: T });
        const [again] = await record({ userId: 'u-carla', ip: '9.9.9.9', deviceId: 'D1', occurredAt: later(60) });
        assert.deepEqual(again?.risk, { score: 0, reasons: [] });
      });

      it('loopback addresses are internal: no geo lookup, no geo reason', async () => {
        await record({ userId: 'u-dana', ip: '8.8.8.8', deviceId: 'D1', occurredAt: T });
        const [local] = await record({ userId: 'u-dana', ip: '127.0.0.1', deviceId: 'D1', occurredAt: later(1) });
        assert.deepEqual(local?.geo, { kind: 'internal' });
        assert.deepEqual(local?.risk, { score: 0, reasons: [] });
        const [v6] = await record({ userId: 'u-dana', ip: '::1', deviceId: 'D9', occurredAt: later(2) });
        assert.deepEqual(v6?.geo, { kind: 'internal' });
        assert.deepEqual(rulesOf(v6), [['device.new', 20]]);
      });

      it('velocity: the 6th failed login for one username within 5 minutes carries velocity.user (+40)', async () => {
        const failed = (minute: number, typed: string) => ({
          type: 'login.failed' as const,
          outcome: 'failure' as const,
          userId: undefined,
          username: typed,
          ip: `203.0.113.${minute + 10}`,
          occurredAt: later(minute * 0.5),
        });
        // Stored in two batches: the second batch's history comes partly from the store, partly from itself.
        const firstThree = await record(...[0, 1, 2].map((minute) => failed(minute, 'Mallory')));
        const nextThree = await record(...[3, 4, 5].map((minute) => failed(minute, 'MALLORY')));
        const all = [...firstThree, ...nextThree].sort((a, b) => a.sequence - b.sequence);

        assert.deepEqual(
          all.map((r) => r.risk.score),
          [0, 0, 0, 0, 0, 40],
        );
        assert.deepEqual(rulesOf(all[5]), [['velocity.user', 40]]);
        assert.match(all[5]!.risk.reasons[0]!.detail, /6 attempts for this user in the last 5 min \(more than 5\)/);
        assert.equal(all[5]?.username, 'mallory');

        // Outside the window the count starts again.
        const [calm] = await record(failed(30, 'mallory'));
        assert.deepEqual(calm?.risk, { score: 0, reasons: [] });
      });

      it('only login attempts are scored: consent and authorization events of a risky session carry no reasons of their own', async () => {
        await record({ userId: 'u-erik', ip: '8.8.8.8', deviceId: 'D1', occurredAt: T });
        const records = await record(
          { userId: 'u-erik', ip: '1.1.1.1', deviceId: 'D2', occurredAt: later(60) },
          { type: 'consent.granted', userId: 'u-erik', ip: '1.1.1.1', occurredAt: later(60.1) },
          { type: 'authorization.requested', userId: 'u-erik', ip: '1.1.1.1', occurredAt: later(60.2) },
        );
        const byType = new Map(records.map((r) => [r.type, r]));
        assert.equal(byType.get('login.succeeded')?.risk.score, 50);
        assert.deepEqual(byType.get('consent.granted')?.risk, { score: 0, reasons: [] });
        assert.deepEqual(byType.get('authorization.requested')?.risk, { score: 0, reasons: [] });
      });

      it("the tenant's risk policy overrides the default weights", async () => {
        const strict = await newTenant(persistence, 'strict');
        await database.dataSource.query(`UPDATE tenants SET risk_policy = $2 WHERE id = $1`, [
          strict.id,
          JSON.stringify({ geoAnomalyPoints: 60, newDevicePoints: 50 }),
        ]);
        const events = await appendToOutbox(persistence, strict, [
          loginEvent({ userId: 'u-fay', ip: '8.8.8.8', deviceId: 'D1', occurredAt: T }),
          loginEvent({ userId: 'u-fay', ip: '1.1.1.1', deviceId: 'D2', occurredAt: later(60) }),
        ]);
        const { records } = await recorder.record(events);
        assert.equal(records[1]?.risk.score, 100, '60 + 50, capped at 100');
        assert.deepEqual(rulesOf(records[1]), [
          ['geo.new_country', 60],
          ['geo.impossible_travel', 0],
          ['device.new', 50],
        ]);
        assert.deepEqual(range(1, 2), [records[0]?.sequence, records[1]?.sequence]);
      });
    },
  );
}
