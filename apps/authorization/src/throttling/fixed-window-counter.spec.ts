import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InProcessFixedWindowCounter, windowOf } from './fixed-window-counter.js';

describe('InProcessFixedWindowCounter', () => {
  function clock(start: number) {
    let ms = start;
    return { now: () => new Date(ms), advance: (by: number) => (ms += by) };
  }

  it('counts hits per key within one window and starts again in the next', async () => {
    const time = clock(Date.UTC(2030, 0, 1, 12, 0, 10));
    const counter = new InProcessFixedWindowCounter(time.now);
    assert.equal((await counter.hit('a', 60)).count, 1);
    assert.equal((await counter.hit('a', 60)).count, 2);
    assert.equal((await counter.hit('b', 60)).count, 1, 'keys are counted apart');
    const third = await counter.hit('a', 60);
    assert.equal(third.count, 3);
    assert.equal(third.resetsAt.toISOString(), '2030-01-01T12:01:00.000Z', 'the window ends on the minute');
    time.advance(49_999);
    assert.equal((await counter.hit('a', 60)).count, 4, 'still the same window at 12:00:59.999');
    time.advance(1);
    const next = await counter.hit('a', 60);
    assert.equal(next.count, 1, 'a new window at 12:01:00');
    assert.equal(next.resetsAt.toISOString(), '2030-01-01T12:02:00.000Z');
  });

  it('windows of different lengths for the same key do not share a count', async () => {
    const counter = new InProcessFixedWindowCounter(clock(0).now);
    await counter.hit('k', 60);
    assert.equal((await counter.hit('k', 1)).count, 1);
    assert.equal((await counter.hit('k', 60)).count, 2);
  });

  it('holds at most maxKeys keys, sweeping finished windows first and then the least recently hit', async () => {
    const time = clock(0);
    const counter = new InProcessFixedWindowCounter(time.now, 3);
    await counter.hit('old-1', 60);
    await counter.hit('old-2', 60);
    time.advance(60_000);
    await counter.hit('new-1', 60);
    await counter.hit('new-2', 60);
    assert.equal(counter.size, 2, 'both finished windows were swept when the bound was passed');
    await counter.hit('new-1', 60);
    await counter.hit('new-3', 60);
    await counter.hit('new-4', 60);
    assert.equal(counter.size, 3);
    assert.equal((await counter.hit('new-1', 60)).count, 3, 'the recently hit key kept its count');
    assert.equal((await counter.hit('new-2', 60)).count, 1, 'the least recently hit key was dropped');
  });

  it('windowOf divides time into fixed windows', () => {
    assert.deepEqual(windowOf(new Date(119_999), 60), { index: 1, resetsAt: new Date(120_000) });
    assert.deepEqual(windowOf(new Date(120_000), 60), { index: 2, resetsAt: new Date(180_000) });
  });
});
