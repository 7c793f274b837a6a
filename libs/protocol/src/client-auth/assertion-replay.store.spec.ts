import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InMemoryAssertionReplayStore } from './assertion-replay.store.js';

describe('InMemoryAssertionReplayStore', () => {
  it('accepts a jti once per client until it expires, then forgets it', async () => {
    let now = new Date('2030-01-01T00:00:00Z');
    const store = new InMemoryAssertionReplayStore(() => now);
    const expiresAt = new Date(now.getTime() + 60_000);
    assert.equal(await store.markUsed('c1', 'j1', expiresAt), true);
    assert.equal(await store.markUsed('c1', 'j1', expiresAt), false);
    assert.equal(await store.markUsed('c2', 'j1', expiresAt), true, 'scoped by client');
    assert.equal(await store.markUsed('c1:j', '1', expiresAt), true, 'no delimiter collisions');
    now = new Date(expiresAt.getTime() + 1);
    assert.equal(await store.markUsed('c9', 'j9', new Date(now.getTime() + 1000)), true);
    assert.equal(store.size, 1, 'expired entries pruned');
    assert.equal(await store.markUsed('c1', 'j1', new Date(now.getTime() + 1000)), true);
  });
});
