import assert from 'node:assert/strict';
import { after, beforeEach, describe, it, mock } from 'node:test';
import { MicroBatcher, PartialFlushFailure } from './micro-batcher.js';

/** A flush that remembers its batches and can be told to fail the next one. */
function recordingFlush() {
  const batches: number[][] = [];
  let failNext: Error | null = null;
  return {
    batches,
    failOnce(error: Error) {
      failNext = error;
    },
    flush: async (items: number[]) => {
      batches.push([...items]);
      await new Promise((resolve) => setImmediate(resolve));
      if (failNext) {
        const error = failNext;
        failNext = null;
        throw error;
      }
    },
  };
}

/** Lets pending work run (setImmediate is not mocked; the flushes in these tests await it). */
const settle = async (rounds = 3) => {
  for (let round = 0; round < rounds; round += 1) await new Promise<void>((resolve) => setImmediate(resolve));
};

/** Whether `promise` has settled, without waiting for it. */
function tracked(promise: Promise<unknown>): { readonly done: () => boolean } {
  let done = false;
  void promise.finally(() => (done = true)).catch(() => undefined);
  return { done: () => done };
}

describe('MicroBatcher', () => {
  beforeEach(() => {
    mock.timers.reset();
    mock.timers.enable({ apis: ['setTimeout'] });
  });
  // The runner's processes go on to other files, which need the real clock.
  after(() => mock.timers.reset());

  it('flushes as soon as maxItems are waiting, without waiting for the delay', async () => {
    const sink = recordingFlush();
    const batcher = new MicroBatcher<number>(sink.flush, { maxItems: 3, maxDelayMs: 60_000 });
    const all = tracked(Promise.all([1, 2, 3].map((item) => batcher.submit(item))));
    await settle();
    assert.ok(all.done(), 'a full batch does not wait for the timer (the clock never moved)');
    assert.deepEqual(sink.batches, [[1, 2, 3]]);
  });

  it('flushes a partial batch after maxDelayMs', async () => {
    const sink = recordingFlush();
    const batcher = new MicroBatcher<number>(sink.flush, { maxItems: 100, maxDelayMs: 30 });
    const pending = Promise.all([batcher.submit(1), batcher.submit(2)]);
    mock.timers.tick(29);
    await settle();
    assert.deepEqual(sink.batches, [], 'nothing flushed before the delay');
    mock.timers.tick(1);
    await pending;
    assert.deepEqual(sink.batches, [[1, 2]]);
  });

  it('splits a burst into batches of maxItems, in submission order', async () => {
    const sink = recordingFlush();
    const batcher = new MicroBatcher<number>(sink.flush, { maxItems: 4, maxDelayMs: 10 });
    const items = Array.from({ length: 10 }, (_, index) => index);
    const all = Promise.all(items.map((item) => batcher.submit(item)));
    await settle(10);
    await all;
    assert.deepEqual(sink.batches, [
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
  });

  it('runs batches one after another, never two flushes at once', async () => {
    let active = 0;
    let maxActive = 0;
    const batcher = new MicroBatcher<number>(
      async () => {
        active += 1;
        maxActive = Math.max(maxActive, active);
        await new Promise((resolve) => setTimeout(resolve, 10));
        active -= 1;
      },
      { maxItems: 2, maxDelayMs: 1 },
    );
    const all = tracked(Promise.all(Array.from({ length: 8 }, (_, index) => batcher.submit(index))));
    for (let step = 0; step < 20 && !all.done(); step += 1) {
      mock.timers.tick(10);
      await settle();
    }
    assert.ok(all.done());
    assert.equal(maxActive, 1);
  });

  it('pipelined: what arrives while a batch flushes is the next batch, handed over when the flush ends, not after the timer', async () => {
    const batches: number[][] = [];
    let release: () => void = () => undefined;
    const batcher = new MicroBatcher<number>(
      async (items) => {
        batches.push([...items]);
        if (batches.length === 1) await new Promise<void>((resolve) => (release = resolve));
      },
      { maxItems: 3, maxDelayMs: 60_000 },
    );
    const first = Promise.all([1, 2, 3].map((item) => batcher.submit(item)));
    await new Promise((resolve) => setImmediate(resolve));
    const next = Promise.all([4, 5, 6, 7].map((item) => batcher.submit(item)));
    await settle();
    assert.deepEqual(batches, [[1, 2, 3]], 'one flush at a time: the second waits');
    release();
    const both = tracked(Promise.all([first, next]));
    await settle();
    assert.ok(both.done(), 'the gathered batch did not wait for the 60 s timer (the clock never moved)');
    assert.deepEqual(batches, [[1, 2, 3], [4, 5, 6], [7]]);
  });

  it("each submitter gets its own batch's outcome: a failed batch rejects its items only", async () => {
    const sink = recordingFlush();
    const batcher = new MicroBatcher<number>(sink.flush, { maxItems: 2, maxDelayMs: 5 });
    sink.failOnce(new Error('database down'));
    const outcomes = await Promise.allSettled([1, 2, 3, 4].map((item) => batcher.submit(item)));
    assert.deepEqual(
      outcomes.map((outcome) => outcome.status),
      ['rejected', 'rejected', 'fulfilled', 'fulfilled'],
    );
    assert.equal(((outcomes[0] as PromiseRejectedResult).reason as Error).message, 'database down');
    // The batcher keeps working after a failure.
    const fifth = batcher.submit(5);
    mock.timers.tick(5);
    await fifth;
    assert.deepEqual(sink.batches.at(-1), [5]);
  });

  it('a flush that failed for some items only (PartialFlushFailure) rejects those, with its cause, and resolves the rest', async () => {
    const batcher = new MicroBatcher<number>(
      async (items) => {
        await new Promise((resolve) => setImmediate(resolve));
        const bad = new Set(items.filter((item) => item % 2 === 0));
        if (bad.size > 0) throw new PartialFlushFailure(bad, new Error('even numbers cannot be recorded'));
      },
      { maxItems: 4, maxDelayMs: 5 },
    );
    const outcomes = await Promise.allSettled([1, 2, 3, 4].map((item) => batcher.submit(item)));
    assert.deepEqual(
      outcomes.map((outcome) => outcome.status),
      ['fulfilled', 'rejected', 'fulfilled', 'rejected'],
    );
    assert.equal(((outcomes[1] as PromiseRejectedResult).reason as Error).message, 'even numbers cannot be recorded');
  });

  it('idle() flushes what is waiting at once and resolves when everything submitted is done', async () => {
    const sink = recordingFlush();
    const batcher = new MicroBatcher<number>(sink.flush, { maxItems: 100, maxDelayMs: 60_000 });
    const submitted = batcher.submit(7);
    await batcher.idle();
    assert.deepEqual(sink.batches, [[7]]);
    await submitted;
    await batcher.idle(); // nothing pending: resolves straight away
  });
});
