import { asTenantId } from '@gatehouse/protocol';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuditEvent } from '@gatehouse/audit';
import { GroupCommitOutbox, type OutboxEntry } from './group-commit-outbox.js';

const T1 = asTenantId('t1');
const T2 = asTenantId('t2');

function event(clientId: string): AuditEvent {
  return { type: 'token.issued', outcome: 'success', occurredAt: new Date('2026-12-04T10:00:00Z'), clientId };
}

/** A writer whose INSERTs stay open until the test commits (or fails) them, in order. */
function heldWriter(): {
  batches: OutboxEntry[][];
  commit(): void;
  fail(error: Error): void;
  write(rows: readonly OutboxEntry[]): Promise<void>;
} {
  const batches: OutboxEntry[][] = [];
  const pending: { resolve(): void; reject(error: Error): void }[] = [];
  return {
    batches,
    commit: () => pending.shift()?.resolve(),
    fail: (error) => pending.shift()?.reject(error),
    write(rows) {
      batches.push([...rows]);
      return new Promise<void>((resolve, reject) => pending.push({ resolve, reject }));
    },
  };
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('GroupCommitOutbox', () => {
  it('writes at once when idle, then gathers the callers that arrive meanwhile into one INSERT', async () => {
    const writer = heldWriter();
    const outbox = new GroupCommitOutbox((rows) => writer.write(rows), { maxBatchesInFlight: 1 });
    const settled: string[] = [];
    const first = outbox.append(T1, [event('a')]).then(() => settled.push('a'));
    await settle();
    assert.equal(writer.batches.length, 1, 'the first caller does not wait for company');
    const rest = ['b', 'c', 'd'].map((id) => outbox.append(id === 'c' ? T2 : T1, [event(id)]).then(() => settled.push(id)));
    await settle();
    assert.equal(writer.batches.length, 1, 'nothing starts while the batch in flight commits');
    assert.equal(outbox.waitingCount, 3);

    writer.commit();
    await first;
    assert.deepEqual(settled, ['a'], 'the gathered callers are not answered before their own commit');
    await settle();
    assert.equal(writer.batches.length, 2);
    assert.deepEqual(
      writer.batches[1]?.map((row) => [row.tenantId, row.event.clientId]),
      [
        [T1, 'b'],
        [T2, 'c'],
        [T1, 'd'],
      ],
      'one INSERT for three callers of two tenants, in arrival order',
    );
    writer.commit();
    await Promise.all(rest);
    assert.deepEqual(settled, ['a', 'b', 'c', 'd']);
  });

  it('keeps at most maxBatchesInFlight INSERTs open', async () => {
    const writer = heldWriter();
    const outbox = new GroupCommitOutbox((rows) => writer.write(rows), { maxBatchesInFlight: 2 });
    const all = Array.from({ length: 10 }, (_, index) => outbox.append(T1, [event(String(index))]));
    await settle();
    assert.equal(writer.batches.length, 2);
    writer.commit();
    await settle();
    assert.equal(writer.batches.length, 3, 'a finished batch lets the next one start');
    assert.equal(writer.batches[2]?.length, 8, 'the next batch takes everyone who waited');
    writer.commit();
    writer.commit();
    await Promise.all(all);
  });

  it("caps a batch at maxBatchRows without splitting one caller's events", async () => {
    const writer = heldWriter();
    const outbox = new GroupCommitOutbox((rows) => writer.write(rows), { maxBatchesInFlight: 1, maxBatchRows: 3 });
    const all = [
      outbox.append(T1, [event('warm')]),
      outbox.append(T1, [event('a1'), event('a2')]),
      outbox.append(T1, [event('b1'), event('b2')]),
      outbox.append(T1, [event('c1')]),
    ];
    for (let turn = 0; turn < 3; turn += 1) {
      await settle();
      writer.commit();
    }
    await Promise.all(all);
    assert.deepEqual(
      writer.batches.map((rows) => rows.map((row) => row.event.clientId)),
      [['warm'], ['a1', 'a2'], ['b1', 'b2', 'c1']],
    );
  });

  it('a failed INSERT rejects every caller in it, and the next batch is unaffected', async () => {
    const writer = heldWriter();
    const outbox = new GroupCommitOutbox((rows) => writer.write(rows), { maxBatchesInFlight: 1 });
    const warm = outbox.append(T1, [event('warm')]);
    await settle();
    const doomed = [outbox.append(T1, [event('x')]), outbox.append(T1, [event('y')])];
    writer.commit();
    await warm;
    await settle();
    const later = outbox.append(T1, [event('z')]);
    writer.fail(new Error('connection lost'));
    for (const caller of doomed) await assert.rejects(caller, /connection lost/);
    await settle();
    writer.commit();
    await later;
    assert.deepEqual(
      writer.batches.map((rows) => rows.map((row) => row.event.clientId)),
      [['warm'], ['x', 'y'], ['z']],
    );
  });

  it('a writer that throws instead of rejecting still fails its callers', async () => {
    const outbox = new GroupCommitOutbox(() => {
      throw new Error('pool closed');
    });
    await assert.rejects(outbox.append(T1, [event('a')]), /pool closed/);
  });

  it('an empty append writes nothing', async () => {
    const writer = heldWriter();
    const outbox = new GroupCommitOutbox((rows) => writer.write(rows));
    await outbox.append(T1, []);
    assert.equal(writer.batches.length, 0);
  });
});
