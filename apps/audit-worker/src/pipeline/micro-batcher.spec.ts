import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MicroBatcher } from './micro-batcher.js';

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

describe('MicroBatcher', () => {
  it('flushes as soon as maxItems are waiting, without waiting for the delay', async () => {
    const sink = recordingFlush();
    const batcher = new MicroBatcher<number>(sink.flush, { maxItems: 3, maxDelayMs: 60_000 });
    const started = Date.now();
    await Promise.all([1, 2, 3].map((item) => batcher.submit(item)));
    assert.ok(Date.now() - started < 1_000, 'a full batch does not wait for the timer');
    assert.deepEqual(sink.batches, [[1, 2, 3]]);
  });

  it('flushes a partial batch after maxDelayMs', async () => {
    const sink = recordingFlush();
    const batcher = new MicroBatcher<number>(sink.flush, { maxItems: 100, maxDelayMs: 30 });
    const pending = Promise.all([batcher.submit(1), batcher.submit(2)]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    assert.deepEqual(sink.batches, [], 'nothing flushed before the delay');
    await pending;
    assert.deepEqual(sink.batches, [[1, 2]]);
  });

  it('splits a burst into batches of maxItems, in submission order', async () => {
    const sink = recordingFlush();
    const batcher = new MicroBatcher<number>(sink.flush, { maxItems: 4, maxDelayMs: 10 });
    const items = Array.from({ length: 10 }, (_, index) => index);
    await Promise.all(items.map((item) => batcher.submit(item)));
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
    await Promise.all(Array.from({ length: 8 }, (_, index) => batcher.submit(index)));
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
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(batches, [[1, 2, 3]], 'one flush at a time: the second waits');
    const started = Date.now();
    release();
    await Promise.all([first, next]);
    assert.ok(Date.now() - started < 1_000, 'the gathered batch did not wait for the 60 s timer');
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
    await batcher.submit(5);
    assert.deepEqual(sink.batches.at(-1), [5]);
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
