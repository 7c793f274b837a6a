import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { CounterThrottlerStorage } from './counter-throttler-storage.js';
import { InProcessFixedWindowCounter, type FixedWindowCounter } from './fixed-window-counter.js';
import { RedisFixedWindowCounter } from './redis-fixed-window-counter.js';

const redisUrl = process.env['REDIS_URL'];
const redis = redisUrl ? new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 1 }) : undefined;
after(() => redis?.disconnect());

const START = Date.UTC(2030, 0, 1, 12, 0, 15);

function behavesLikeAThrottlerStorage(label: string, counter: (now: () => Date) => FixedWindowCounter, skip?: string): void {
  describe(`CounterThrottlerStorage on ${label}`, { skip }, () => {
    let ms = START;
    const now = () => new Date(ms);
    const storage = () => new CounterThrottlerStorage(counter(now), now);

    it('counts up to the limit, then blocks until the fixed window ends (seconds, as @nestjs/throttler reads them)', async () => {
      ms = START;
      const store = storage();
      const key = randomUUID();
      for (let hit = 1; hit <= 3; hit++) {
        const record = await store.increment(key, 60_000, 3, 60_000, 'test');
        assert.deepEqual([record.totalHits, record.isBlocked, record.timeToExpire, record.timeToBlockExpire], [hit, false, 45, 0]);
      }
      const blocked = await store.increment(key, 60_000, 3, 60_000, 'test');
      assert.deepEqual([blocked.totalHits, blocked.isBlocked, blocked.timeToBlockExpire], [4, true, 45]);
      ms += 45_000;
      assert.equal((await store.increment(key, 60_000, 3, 60_000, 'test')).isBlocked, false, 'a new window');
    });

    it('keeps throttler names and keys apart', async () => {
      ms = START;
      const store = storage();
      const key = randomUUID();
      await store.increment(key, 60_000, 1, 60_000, 'a');
      assert.equal((await store.increment(key, 60_000, 1, 60_000, 'b')).totalHits, 1);
      assert.equal((await store.increment(randomUUID(), 60_000, 1, 60_000, 'a')).totalHits, 1);
    });

    it('refund takes one hit back, never below zero, and leaves a finished window alone', async () => {
      ms = START;
      const store = storage();
      const key = randomUUID();
      const first = await store.increment(key, 60_000, 5, 60_000, 'r');
      await store.increment(key, 60_000, 5, 60_000, 'r');
      await store.refund(key, 60_000, 'r', first.resetsAt);
      assert.equal((await store.increment(key, 60_000, 5, 60_000, 'r')).totalHits, 2);
      const other = randomUUID();
      const one = await store.increment(other, 60_000, 5, 60_000, 'r');
      await store.refund(other, 60_000, 'r', one.resetsAt);
      await store.refund(other, 60_000, 'r', one.resetsAt);
      assert.equal((await store.increment(other, 60_000, 5, 60_000, 'r')).totalHits, 1, 'not below zero');
      ms += 60_000;
      const fresh = await store.increment(other, 60_000, 5, 60_000, 'r');
      await store.refund(other, 60_000, 'r', one.resetsAt);
      assert.equal((await store.increment(other, 60_000, 5, 60_000, 'r')).totalHits, fresh.totalHits + 1, 'the old window’s refund');
    });
  });
}

behavesLikeAThrottlerStorage('the in-process counter', (now) => new InProcessFixedWindowCounter(now));
behavesLikeAThrottlerStorage('Redis', (now) => new RedisFixedWindowCounter(redis as Redis, now), redis ? undefined : 'needs REDIS_URL');
