import type { Redis } from 'ioredis';
import { windowOf, type FixedWindowCounter, type WindowCount } from './fixed-window-counter.js';

/**
 * The window's counter in Redis, shared by every instance: INCR and EXPIRE in one MULTI
 * (one round trip, and the key never outlives its window by more than a little).
 * The window index is part of the key, so each window starts from zero.
 */
export class RedisFixedWindowCounter implements FixedWindowCounter {
  constructor(
    private readonly redis: Redis,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async hit(key: string, windowSeconds: number): Promise<WindowCount> {
    const { index, resetsAt } = windowOf(this.now(), windowSeconds);
    const redisKey = `gatehouse:{rate}:${windowSeconds}:${key}:${index}`;
    const results = await this.redis
      .multi()
      .incr(redisKey)
      .expire(redisKey, windowSeconds + 1)
      .exec();
    const [incrError, count] = results?.[0] ?? [new Error('the transaction was discarded'), null];
    if (incrError) throw incrError;
    return { count: Number(count), resetsAt };
  }
}
