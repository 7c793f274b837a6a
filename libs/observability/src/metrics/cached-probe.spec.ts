import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CachedProbe } from './cached-probe.js';

describe('CachedProbe', () => {
  it('reads once per ttl, however many scrapes ask', async () => {
    let reads = 0;
    const probe = new CachedProbe(() => Promise.resolve(++reads), 60_000);
    assert.deepEqual(await Promise.all([probe.value(), probe.value()]), [1, 1]);
    assert.equal(await probe.value(), 1);
    assert.equal(reads, 1);
  });

  it('gives up after the timeout or on an error and keeps the last reading', async () => {
    let mode: 'ok' | 'hang' | 'fail' = 'ok';
    const probe = new CachedProbe(
      () =>
        mode === 'ok' ? Promise.resolve(7) : mode === 'fail' ? Promise.reject(new Error('down')) : new Promise<number>(() => undefined),
      0,
      20,
    );
    assert.equal(await probe.value(), 7);
    mode = 'hang';
    assert.equal(await probe.value(), 7);
    mode = 'fail';
    assert.equal(await probe.value(), 7);
  });
});
