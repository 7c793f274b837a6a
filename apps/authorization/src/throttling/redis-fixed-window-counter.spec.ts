import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { after, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { RedisFixedWindowCounter } from './redis-fixed-window-counter.js';

const redisUrl = process.env['REDIS_URL'];
const redis = redisUrl ? new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 1 }) : undefined;
after(() => redis?.disconnect());

describe('RedisFixedWindowCounter (one EVALSHA per hit)', { skip: redis ? undefined : 'needs REDIS_URL' }, () => {
  const at = (ms: number) => () => new Date(ms);

  it('counts hits of one key within a window, and 200 concurrent hits land exactly once each', async () => {
    const counter = new RedisFixedWindowCounter(redis as Redis, at(1_800_000_000_000));
    const key = randomUUID();
    const counts = await Promise.all(Array.from({ length: 200 }, () => counter.hit(key, 60)));
    assert.deepEqual(
      counts.map((count) => count.count).sort((a, b) => a - b),
      Array.from({ length: 200 }, (_, index) => index + 1),
    );
    assert.equal(counts[0]?.resetsAt.getTime(), 1_800_000_000_000 - (1_800_000_000_000 % 60_000) + 60_000);
  });

  it('starts from zero in the next window and keeps keys apart', async () => {
    const key = randomUUID();
    const first = new RedisFixedWindowCounter(redis as Redis, at(1_800_000_000_000));
    await first.hit(key, 60);
    await first.hit(key, 60);
    assert.equal((await first.hit(randomUUID(), 60)).count, 1, 'another key');
    const next = new RedisFixedWindowCounter(redis as Redis, at(1_800_000_060_000));
    assert.equal((await next.hit(key, 60)).count, 1, 'the next window');
  });

  it('sets the expiry on the first hit so the key outlives its window by a second at most', async () => {
    const key = randomUUID();
    const counter = new RedisFixedWindowCounter(redis as Redis, at(1_800_000_000_000));
    await counter.hit(key, 60);
    const redisKey = (await (redis as Redis).keys(`gatehouse:{rate}:60:${key}:*`))[0] ?? '';
    const ttl = await (redis as Redis).ttl(redisKey);
    assert.ok(ttl > 0 && ttl <= 61, `TTL ${ttl}`);
  });

  it('refund takes back a hit of the window it names, never below zero', async () => {
    const counter = new RedisFixedWindowCounter(redis as Redis, at(1_800_000_000_000));
    const key = randomUUID();
    const { resetsAt } = await counter.hit(key, 60);
    await counter.refund(key, 60, resetsAt);
    await counter.refund(key, 60, resetsAt);
    assert.equal((await counter.hit(key, 60)).count, 1);
    const missing = randomUUID();
    await counter.refund(missing, 60, resetsAt);
    assert.equal((await (redis as Redis).keys(`gatehouse:{rate}:60:${missing}:*`)).length, 0, 'a refund creates no key');
  });

  it("refunds share the hits' pipeline, and work after the server forgets its scripts", async () => {
    const counter = new RedisFixedWindowCounter(redis as Redis, at(1_800_000_000_000));
    const key = randomUUID();
    const hits = await Promise.all(Array.from({ length: 20 }, () => counter.hit(key, 60)));
    const resetsAt = hits[0]?.resetsAt ?? new Date(0);
    await (redis as Redis).script('FLUSH');
    // Ten refunds and ten more hits in flight together: each lands exactly once.
    await Promise.all([
      ...Array.from({ length: 10 }, () => counter.refund(key, 60, resetsAt)),
      ...Array.from({ length: 10 }, () => counter.hit(key, 60)),
    ]);
    assert.equal((await counter.hit(key, 60)).count, 21, '20 hits - 10 refunds + 10 hits, then this one');
  });

  it('works again after the server forgets its scripts (SCRIPT FLUSH: a restart or failover)', async () => {
    const counter = new RedisFixedWindowCounter(redis as Redis, at(1_800_000_000_000));
    const key = randomUUID();
    await counter.hit(key, 60);
    await (redis as Redis).script('FLUSH');
    assert.equal((await counter.hit(key, 60)).count, 2);
    assert.equal((await counter.hit(key, 60)).count, 3, 'the script is cached again');
  });

  it('a burst that meets a forgotten script (NOSCRIPT in a shared pipeline) still counts each hit once', async () => {
    const counter = new RedisFixedWindowCounter(redis as Redis, at(1_800_000_000_000));
    const key = randomUUID();
    await counter.hit(key, 60);
    await (redis as Redis).script('FLUSH');
    const counts = await Promise.all(Array.from({ length: 50 }, () => counter.hit(key, 60)));
    assert.deepEqual(
      counts.map((count) => count.count).sort((a, b) => a - b),
      Array.from({ length: 50 }, (_, index) => index + 2),
    );
  });

  it('a Redis that cannot be reached fails the hits of the batch, and the next ones work again', async () => {
    const own = new Redis(redisUrl ?? '', { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false });
    const counter = new RedisFixedWindowCounter(own, at(1_800_000_000_000));
    const key = randomUUID();
    const refused = await Promise.allSettled([counter.hit(key, 60), counter.hit(key, 60)]);
    assert.deepEqual(
      refused.map((outcome) => outcome.status),
      ['rejected', 'rejected'],
      'not connected',
    );
    // The refused pipeline may have started the connection already.
    await own.connect().catch(() => undefined);
    if (own.status !== 'ready') await once(own, 'ready');
    try {
      assert.equal((await counter.hit(key, 60)).count, 1);
    } finally {
      own.disconnect();
    }
  });
});
