import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { InProcessLockNoticeStore, RedisLockNoticeStore, type LockNoticeStore } from './lock-notice-store.js';

const LOCKOUT = 60_000;

function behavesLikeTheDatabaseLock(label: string, make: () => LockNoticeStore, skip?: string): void {
  describe(label, { skip }, () => {
    const fail = (store: LockNoticeStore, key: string, at: number) => store.fail(key, at, 3, LOCKOUT);

    it('raises the notice at the threshold-th failure within lockoutSeconds of the first', async () => {
      const store = make();
      const key = randomUUID();
      assert.deepEqual([await fail(store, key, 0), await fail(store, key, 1_000), await fail(store, key, 2_000)], [false, false, true]);
    });

    it('counts afresh when the first failure is older than lockoutSeconds', async () => {
      const store = make();
      const key = randomUUID();
      await fail(store, key, 0);
      await fail(store, key, 1_000);
      assert.equal(await fail(store, key, LOCKOUT + 1), false, 'the two old failures no longer count');
      assert.equal(await fail(store, key, LOCKOUT + 2), false);
      assert.equal(await fail(store, key, LOCKOUT + 3), true);
    });

    it('stands for lockoutSeconds from the moment it was raised, not extended by failures during it, then counts from zero', async () => {
      const store = make();
      const key = randomUUID();
      for (const at of [0, 1, 2]) await fail(store, key, at);
      assert.equal(await fail(store, key, LOCKOUT), true, 'still raised just before it ends');
      assert.equal(await fail(store, key, LOCKOUT + 2), false, 'over: the failure during it did not extend it');
    });

    it('reports the failures counted toward the notice and the last one, none while it stands or after the window', async () => {
      const store = make();
      const key = randomUUID();
      assert.equal(await store.failures(key, 0, LOCKOUT), null);
      await fail(store, key, 0);
      await fail(store, key, 1_500);
      assert.deepEqual(await store.failures(key, 2_000, LOCKOUT), { count: 2, last: 1_500 });
      assert.equal(await store.failures(key, LOCKOUT + 1, LOCKOUT), null, 'the window of the first failure has passed');
      await fail(store, key, 3_000);
      assert.equal(await store.failures(key, 3_001, LOCKOUT), null, 'the notice stands: the lock, not the delay, applies');
    });

    it('keeps usernames apart', async () => {
      const store = make();
      const [a, b] = [randomUUID(), randomUUID()];
      for (const at of [0, 1, 2]) await fail(store, a, at);
      assert.equal(await fail(store, b, 3), false);
    });
  });
}

behavesLikeTheDatabaseLock('InProcessLockNoticeStore', () => new InProcessLockNoticeStore());

const redisUrl = process.env['REDIS_URL'];
const redis = redisUrl ? new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 1 }) : undefined;
after(() => redis?.disconnect());
behavesLikeTheDatabaseLock('RedisLockNoticeStore', () => new RedisLockNoticeStore(redis as Redis), redis ? undefined : 'needs REDIS_URL');

describe('InProcessLockNoticeStore memory', () => {
  it('holds at most maxKeys usernames', async () => {
    const store = new InProcessLockNoticeStore(10);
    for (let i = 0; i < 50; i++) await store.fail(`k${i}`, 0, 3, LOCKOUT);
    assert.ok((store as unknown as { entries: Map<string, unknown> }).entries.size <= 10);
  });
});
