import assert from 'node:assert/strict';
import { after, beforeEach, describe, it, mock } from 'node:test';
import { PollingLoop } from './polling-loop.js';

/** Lets the loop's promise chain run to its next wait (setImmediate is not mocked: it runs after pending microtasks). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
/** Moves the mocked clock on, then lets the woken loop run. */
async function advance(ms: number): Promise<void> {
  mock.timers.tick(ms);
  await settle();
}

describe('PollingLoop', () => {
  beforeEach(() => {
    mock.timers.reset();
    mock.timers.enable({ apis: ['setTimeout'] });
  });
  // The runner's processes go on to other files, which need the real clock.
  after(() => mock.timers.reset());

  it('runs turns back to back while they report full batches, then waits idleMs', async () => {
    const results = [10, 10, 3];
    let turns = 0;
    const loop = new PollingLoop(
      () => Promise.resolve(results[turns++] ?? 0),
      { idleMs: 60_000, errorMs: 60_000, batch: 10 },
      () => undefined,
    );
    loop.start();
    await settle();
    assert.equal(turns, 3, 'two full batches, then a short one, then the idle wait');
    await advance(59_999);
    assert.equal(turns, 3, 'still waiting');
    await advance(1);
    assert.equal(turns, 4, 'the next turn when idleMs has passed');
    await loop.stop();
  });

  it('wake() cuts the idle wait short', async () => {
    let turns = 0;
    const loop = new PollingLoop(
      () => Promise.resolve(turns++ * 0),
      { idleMs: 60_000, errorMs: 60_000, batch: 10 },
      () => undefined,
    );
    loop.start();
    await settle();
    assert.equal(turns, 1);
    loop.wake();
    await settle();
    assert.equal(turns, 2, 'without the clock moving');
    await loop.stop();
  });

  it('a wake() that arrives during a turn is not lost: the next turn follows without the idle wait', async () => {
    let turns = 0;
    let loop: PollingLoop | undefined = undefined;
    loop = new PollingLoop(
      () => {
        turns += 1;
        if (turns === 1) loop?.wake(); // new work arrived while this turn was running
        return Promise.resolve(0);
      },
      { idleMs: 60_000, errorMs: 60_000, batch: 10 },
      () => undefined,
    );
    loop.start();
    await settle();
    assert.equal(turns, 2);
    await loop.stop();
  });

  it('a failed turn is reported and retried after errorMs', async () => {
    const errors: unknown[] = [];
    let turns = 0;
    const loop = new PollingLoop(
      () => {
        turns += 1;
        return turns === 1 ? Promise.reject(new Error('boom')) : Promise.resolve(0);
      },
      { idleMs: 60_000, errorMs: 20, batch: 10 },
      (error) => errors.push(error),
    );
    loop.start();
    await settle();
    assert.equal(turns, 1);
    assert.equal((errors[0] as Error).message, 'boom');
    await advance(19);
    assert.equal(turns, 1, 'not before errorMs');
    await advance(1);
    assert.equal(turns, 2);
    await loop.stop();
  });

  it('stop() during the wait returns at once and leaves no timer behind', async () => {
    mock.timers.reset(); // real timers: the check counts the process's own
    const loop = new PollingLoop(
      () => Promise.resolve(0),
      { idleMs: 60_000, errorMs: 60_000, batch: 10 },
      () => undefined,
    );
    const before = process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
    loop.start();
    await settle();
    assert.equal(process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length, before + 1, 'waiting on its timer');
    await loop.stop();
    assert.equal(process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length, before);
  });

  it('stop() during a turn waits for it and runs no further turn', async () => {
    let turns = 0;
    let release: () => void = () => undefined;
    const loop = new PollingLoop(
      async () => {
        turns += 1;
        await new Promise<void>((resolve) => (release = resolve));
        return 100;
      },
      { idleMs: 0, errorMs: 0, batch: 10 },
      () => undefined,
    );
    loop.start();
    await settle();
    const stopped = loop.stop();
    release();
    await stopped;
    await advance(1_000);
    assert.equal(turns, 1);
  });

  it('start() twice runs one loop', async () => {
    let active = 0;
    let maxActive = 0;
    let turns = 0;
    const loop = new PollingLoop(
      async () => {
        active += 1;
        turns += 1;
        maxActive = Math.max(maxActive, active);
        await new Promise((resolve) => setTimeout(resolve, 2));
        active -= 1;
        return 0;
      },
      { idleMs: 1, errorMs: 1, batch: 10 },
      () => undefined,
    );
    loop.start();
    loop.start();
    for (let step = 0; step < 10; step += 1) await advance(1);
    const stopped = loop.stop();
    await advance(2); // the turn in progress finishes its own wait
    await stopped;
    assert.ok(turns >= 3, `several turns ran (${turns})`);
    assert.equal(maxActive, 1);
  });
});
