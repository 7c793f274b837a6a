import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TtlCache } from './ttl-cache.js';

function deferred<T>(): { promise: Promise<T>; resolve(value: T): void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('TtlCache', () => {
  it('concurrent misses for one key share one load', async () => {
    const cache = new TtlCache<string>(1_000);
    const row = deferred<string>();
    let loads = 0;
    const load = () => {
      loads += 1;
      return row.promise;
    };
    const answers = Promise.all([cache.getOrLoad('a', load), cache.getOrLoad('a', load), cache.getOrLoad('a', load)]);
    row.resolve('v1');
    assert.deepEqual(await answers, ['v1', 'v1', 'v1']);
    assert.equal(loads, 1);
    assert.equal(await cache.getOrLoad('a', () => Promise.resolve('other')), 'v1', 'stored');
  });

  it('a load that began before its key was dropped is answered but not stored (no stale write-back)', async () => {
    const cache = new TtlCache<string>(60_000);
    const old = deferred<string>();
    const before = cache.getOrLoad('client', () => old.promise);
    cache.delete('client'); // an admin change is announced while the old row is in flight
    const after = cache.getOrLoad('client', () => Promise.resolve('new'));
    old.resolve('old');
    assert.equal(await before, 'old');
    assert.equal(await after, 'new', 'a caller after the change does not join the old load');
    assert.equal(await cache.getOrLoad('client', () => Promise.resolve('unexpected')), 'new');
  });

  it('clear forgets everything, including loads in flight', async () => {
    const cache = new TtlCache<string>(60_000);
    await cache.getOrLoad('a', () => Promise.resolve('a1'));
    const inFlight = deferred<string>();
    const pending = cache.getOrLoad('b', () => inFlight.promise);
    cache.clear();
    inFlight.resolve('b-old');
    await pending;
    assert.equal(cache.size, 0);
    assert.equal(await cache.getOrLoad('a', () => Promise.resolve('a2')), 'a2');
    assert.equal(await cache.getOrLoad('b', () => Promise.resolve('b2')), 'b2');
  });

  it('entries expire after the TTL, and a failed load is not cached', async () => {
    let now = 0;
    const cache = new TtlCache<string>(100, 10, () => now);
    await cache.getOrLoad('a', () => Promise.resolve('v1'));
    now = 99;
    assert.equal(await cache.getOrLoad('a', () => Promise.resolve('v2')), 'v1');
    now = 100;
    assert.equal(await cache.getOrLoad('a', () => Promise.resolve('v2')), 'v2');
    await assert.rejects(cache.getOrLoad('x', () => Promise.reject(new Error('database down'))));
    assert.equal(await cache.getOrLoad('x', () => Promise.resolve('back')), 'back');
  });

  it('holds at most maxEntries, dropping the oldest', async () => {
    const cache = new TtlCache<number>(60_000, 3);
    for (const key of ['a', 'b', 'c', 'd']) await cache.getOrLoad(key, () => Promise.resolve(1));
    assert.equal(cache.size, 3);
    assert.equal(await cache.getOrLoad('a', () => Promise.resolve(2)), 2, 'a was dropped');
  });
});
