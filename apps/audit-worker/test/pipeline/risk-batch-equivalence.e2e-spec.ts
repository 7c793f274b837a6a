import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AuditEvent, AuditRecord, OutboxEvent } from '@gatehouse/audit';
import { Persistence, type Tenant } from '@gatehouse/persistence';
import { credentialStuffingWindow, historyStart, LoginHistoryIndex, resolveRiskPolicy, scoreLogin } from '@gatehouse/risk';
import type { AuditRecorder } from '../../src/pipeline/audit-recorder.js';
import { LoginHistoryCache } from '../../src/pipeline/login-history-cache.js';
import { seededRandom } from '../../../../test/support/seeded-random.js';
import { appendToOutbox, isolatedTargets, newRecorder, newTenant, verifyChain } from './pipeline.fixture.js';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
/** Public addresses on several continents (they geolocate in the DB-IP database). */
const IPS = ['8.8.8.8', '1.1.1.1', '81.2.69.160', '200.160.2.3', '41.203.64.1', '203.0.178.1', '62.4.1.1', '151.101.1.1'];

/** Logins of 40 users from 8 addresses over an hour, bursts inside the velocity window, failures for unknown users. */
function logins(count: number, start: number): AuditEvent[] {
  const random = seededRandom(11);
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
    /** Rebuilds the history for every batch from the store: the reference the kept history must match. */
    let uncached: AuditRecorder;

    before(async () => {
      const opened = await target.open();
      close = opened.close;
      persistence = new Persistence(opened.database);
      recorder = newRecorder(persistence);
      uncached = newRecorder(persistence, undefined, { historyCache: null });
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
      for (const index of order) await uncached.record([byIndex.get(index)!]);

      const expected = await risksOf(single);
      const actual = await risksOf(batched);
      assert.equal(actual.length, 300);
      assert.deepEqual(actual, expected);
      assert.ok(actual.filter((entry) => entry.risk.score > 0).length > 30, 'the logins trip the rules');
      const rules = new Set(actual.flatMap((entry) => entry.risk.reasons.map((reason) => reason.rule)));
      for (const rule of ['geo.new_country', 'device.new', 'velocity.user']) assert.ok(rules.has(rule), `${rule} tripped`);
      assert.equal((await verifyChain(persistence, batched.id)).broken, null);
    });

    it('kept across 25 batches by two workers taking turns, pruned to a small size, with events arriving late: the scores of one at a time', async () => {
      const events = logins(600, Date.now() - 5 * 3_600_000);
      const random = seededRandom(29);
      // One event in eight arrives in a later batch than its time says (up to three batches late).
      const batches: AuditEvent[][] = [];
      const pending: { event: AuditEvent; due: number }[] = [];
      for (let start = 0, batch = 0; start < events.length; batch++) {
        const size = 5 + random(40);
        for (const event of events.slice(start, start + size))
          pending.push({ event, due: random(8) === 0 ? batch + 1 + random(3) : batch });
        start += size;
        batches.push(pending.filter((entry) => entry.due <= batch).map((entry) => entry.event));
        pending.splice(0, pending.length, ...pending.filter((entry) => entry.due > batch));
      }
      if (pending.length > 0) batches.push(pending.map((entry) => entry.event));

      const limits = { maxAttempts: 400, maxTenants: 4, maxCatchUp: 1_000, pruneMarginMs: 0 };
      const caches = [new LoginHistoryCache(limits), new LoginHistoryCache(limits)];
      const workers = caches.map((historyCache) => newRecorder(persistence, undefined, { historyCache }));
      const [kept, single] = [await newTenant(persistence, 'risk-kept'), await newTenant(persistence, 'risk-ref')];
      for (const batch of batches) {
        // Mostly the first worker; now and then the second, so the first must read what it missed.
        await workers[random(4) === 0 ? 1 : 0]!.record(await appendToOutbox(persistence, kept, batch));
      }
      assert.ok(batches.length >= 20, `${batches.length} batches`);
      for (const cache of caches) assert.ok(cache.size <= limits.maxAttempts, `the kept history stays within its limit (${cache.size})`);

      const order = (await risksOf(kept)).map((entry) => entry.index as number);
      const outbox = await appendToOutbox(persistence, single, events);
      const byIndex = new Map(outbox.map((event) => [event.details?.['index'] as number, event]));
      for (const index of order) await uncached.record([byIndex.get(index)!]);

      const actual = await risksOf(kept);
      assert.equal(actual.length, 600);
      assert.deepEqual(actual, await risksOf(single));
      const rules = new Set(actual.flatMap((entry) => entry.risk.reasons.map((reason) => reason.rule)));
      for (const rule of ['geo.new_country', 'device.new', 'velocity.user']) assert.ok(rules.has(rule), `${rule} tripped`);
    });

    it("a retention cut is seen by the kept history: the deleted login's country and device are new again", async () => {
      const cache = new LoginHistoryCache();
      const worker = newRecorder(persistence, undefined, { historyCache: cache });
      const now = Date.now();
      const twins = [await newTenant(persistence, 'risk-cut'), await newTenant(persistence, 'risk-cut-ref')];
      const history: AuditEvent[] = [
        {
          type: 'login.succeeded',
          outcome: 'success',
          occurredAt: new Date(now - 3 * 86_400_000),
          userId: 'u-1',
          ip: '8.8.8.8',
          deviceId: 'd-old',
          userAgent: CHROME,
        },
        {
          type: 'login.succeeded',
          outcome: 'success',
          occurredAt: new Date(now - 3_600_000),
          userId: 'u-1',
          ip: '81.2.69.160',
          deviceId: 'd-new',
          userAgent: CHROME,
        },
      ];
      const next: AuditEvent = {
        type: 'login.succeeded',
        outcome: 'success',
        occurredAt: new Date(now),
        userId: 'u-1',
        ip: '8.8.8.8',
        deviceId: 'd-old',
        userAgent: CHROME,
      };
      for (const tenant of twins) await worker.record(await appendToOutbox(persistence, tenant, history));
      await persistence.transaction(async (repos) => {
        for (const tenant of twins) assert.equal(await repos.auditRecords.deleteOlderThan(tenant.id, new Date(now - 86_400_000)), 1);
      });

      const [kept] = (await worker.record(await appendToOutbox(persistence, twins[0]!, [next]))).records;
      const [reference] = (await uncached.record(await appendToOutbox(persistence, twins[1]!, [next]))).records;
      assert.deepEqual(kept?.risk, reference?.risk);
      const rules = kept?.risk.reasons.map((reason) => reason.rule);
      assert.ok(rules?.includes('device.new') && rules.includes('geo.new_country'), `the cut login is forgotten: ${JSON.stringify(rules)}`);
    });

    it('an event older than the pruned history starts it over: its velocity window is read again', async () => {
      const worker = newRecorder(persistence, undefined, {
        historyCache: new LoginHistoryCache({ maxAttempts: 8, maxTenants: 4, maxCatchUp: 1_000, pruneMarginMs: 0 }),
      });
      const t = Date.now() - 3_600_000;
      const attempt = (seconds: number, overrides: Partial<AuditEvent> = {}): AuditEvent => ({
        type: 'login.failed',
        outcome: 'failure',
        occurredAt: new Date(t + seconds * 1000),
        userId: 'u-late',
        ip: '8.8.8.8',
        userAgent: CHROME,
        ...overrides,
      });
      const batches: AuditEvent[][] = [
        // A success an hour before (kept by pruning: it decides the known country and device), six failures.
        [
          attempt(-3_600, { type: 'login.succeeded', outcome: 'success', deviceId: 'd-1' }),
          ...[0, 10, 20, 30, 40, 50].map((s) => attempt(s)),
        ],
        // Twenty minutes on, another user: the held history is over its limit and pruned to this batch's window.
        [1_200, 1_210].map((s) => attempt(s, { type: 'login.succeeded', outcome: 'success', userId: 'u-other', ip: '1.1.1.1' })),
        // Then a failure from a minute after the six, arriving late from another address: its user's window
        // reaches back before the prune.
        [attempt(60, { ip: '9.9.9.9' })],
      ];
      const twins = [await newTenant(persistence, 'risk-late'), await newTenant(persistence, 'risk-late-ref')] as const;
      let kept: AuditRecord | undefined;
      let reference: AuditRecord | undefined;
      for (const batch of batches) {
        [kept] = (await worker.record(await appendToOutbox(persistence, twins[0], batch))).records;
        [reference] = (await uncached.record(await appendToOutbox(persistence, twins[1], batch))).records;
      }
      assert.deepEqual(kept?.risk, reference?.risk);
      assert.ok(
        kept?.risk.reasons.some((reason) => reason.rule === 'velocity.user'),
        JSON.stringify(kept?.risk),
      );
    });

    it('a username that lower-casing lengthens past its column is judged by what is stored, kept or not', async () => {
      const worker = newRecorder(persistence, undefined, { historyCache: new LoginHistoryCache() });
      const start = Date.now() - 3_600_000;
      // 65 × 'İ' is 130 code units lower-cased: the record keeps 128.
      const attempt = (index: number): AuditEvent => ({
        type: 'login.failed',
        outcome: 'failure',
        occurredAt: new Date(start + index * 10_000),
        username: 'İ'.repeat(65),
        ip: '8.8.8.8',
        userAgent: CHROME,
      });
      const twins = [await newTenant(persistence, 'risk-long'), await newTenant(persistence, 'risk-long-ref')] as const;
      const kept: AuditRecord[] = [];
      const reference: AuditRecord[] = [];
      for (let index = 0; index < 7; index++) {
        kept.push(...(await worker.record(await appendToOutbox(persistence, twins[0], [attempt(index)]))).records);
        reference.push(...(await uncached.record(await appendToOutbox(persistence, twins[1], [attempt(index)]))).records);
      }
      assert.equal(kept[0]?.username?.length, 128);
      assert.deepEqual(
        kept.map((record) => record.risk),
        reference.map((record) => record.risk),
      );
      assert.deepEqual(
        kept.map((record) => record.risk.reasons.some((reason) => reason.rule === 'velocity.user')),
        [false, false, false, false, false, true, true],
        'the sixth attempt for the stored username trips velocity.user',
      );
    });

    it("the login page's history (the latest attempt of each username from the IP) scores every attempt as the whole history does", async () => {
      const tenant = await newTenant(persistence, 'risk-page');
      const start = Date.now() - 2 * 3_600_000;
      // Crowded addresses: 400 attempts of 30 users from 3 IPs, 3 s apart (dozens of usernames per IP in 5 minutes).
      const crowd = seededRandom(5);
      const events: AuditEvent[] = Array.from({ length: 400 }, (_, index) => {
        const user = crowd(30);
        const failed = crowd(5) === 0;
        return {
          type: failed ? 'login.failed' : 'login.succeeded',
          outcome: failed ? 'failure' : 'success',
          occurredAt: new Date(start + index * 3_000 + crowd(2_000)),
          ...(failed && crowd(2) === 0 ? {} : { userId: `u-${user}` }),
          username: `user${user}`,
          ip: IPS[crowd(3)]!,
          userAgent: CHROME,
          details: { index },
        };
      });
      await recorder.record(await appendToOutbox(persistence, tenant, events));
      const policy = resolveRiskPolicy(tenant.riskPolicy);
      const random = seededRandom(47);
      const end = events.at(-1)!.occurredAt.getTime();
      let tripped = 0;
      let fewer = 0;
      for (let probe = 0; probe < 60; probe++) {
        // Inside the recorded span (later attempts are stored too), on a record's exact time now and then, and after it.
        const at = new Date(probe % 10 === 0 ? events[random(events.length)]!.occurredAt.getTime() : start + random(end - start + 300_000));
        const user = random(35);
        const attempt = {
          at,
          userId: `u-${user}`,
          username: `user${user}`,
          ip: IPS[random(4)]!,
          location: { kind: 'unknown' as const },
          device: {},
        };
        const subjects = { userIds: [attempt.userId], usernames: [attempt.username] };
        const { auditRecords } = persistence.repositories;
        const whole = await auditRecords.loginHistory(tenant.id, subjects, [attempt.ip], historyStart(at, policy));
        const page = await auditRecords.loginHistory(tenant.id, subjects, [attempt.ip], historyStart(at, policy), {
          ipWindow: credentialStuffingWindow(at, policy),
        });
        const expected = scoreLogin(attempt, new LoginHistoryIndex(whole, policy), policy);
        assert.deepEqual(
          scoreLogin(attempt, new LoginHistoryIndex(page, policy), policy),
          expected,
          `probe ${probe} at ${at.toISOString()}`,
        );
        if (expected.reasons.some((reason) => reason.rule === 'velocity.ip')) tripped += 1;
        if (page.length < whole.length) fewer += 1;
      }
      assert.ok(tripped >= 10, `credential stuffing tripped by ${tripped} probes`);
      assert.ok(fewer >= 30, `the page read fewer rows for ${fewer} probes`);
    });
  });
}
