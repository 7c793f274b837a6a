import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PollingLoop } from './polling-loop.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PollingLoop', () => {
  it('runs turns back to back while they report full batches, then waits idleMs', async () => {
    const results = [10, 10, 3];
    let turns = 0;
    const loop = new PollingLoop(
      () => Promise.resolve(results[turns++] ?? 0),
      { idleMs: 60_000, errorMs: 60_000, batch: 10 },
      () => undefined,
    );
    loop.start();
    await sleep(50);
    assert.equal(turns, 3, 'two full batches, then a short one, then the idle wait');
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
    await sleep(20);
    assert.equal(turns, 1);
    loop.wake();
    await sleep(20);
    assert.equal(turns, 2);
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
    await sleep(30);
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
    await sleep(80);
    assert.equal(turns, 2);
    assert.equal((errors[0] as Error).message, 'boom');
    await loop.stop();
  });

  it('stop() during the wait returns promptly and leaves no timer behind', async () => {
    const loop = new PollingLoop(
      () => Promise.resolve(0),
      { idleMs: 60_000, errorMs: 60_000, batch: 10 },
      () => undefined,
    );
    const before = process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
    loop.start();
    await sleep(10);
    const started = Date.now();
    await loop.stop();
    assert.ok(Date.now() - started < 1_000);
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
    await sleep(5);
    const stopped = loop.stop();
    release();
    await stopped;
    await sleep(10);
    assert.equal(turns, 1);
  });

  it('start() twice runs one loop', async () => {
    let active = 0;
    let maxActive = 0;
    const loop = new PollingLoop(
      async () => {
        active += 1;
        maxActive = Math.max(maxActive, active);
        await sleep(2);
        active -= 1;
        return 0;
      },
      { idleMs: 1, errorMs: 1, batch: 10 },
      () => undefined,
    );
    loop.start();
    loop.start();
    await sleep(30);
    await loop.stop();
    assert.equal(maxActive, 1);
  });
});
