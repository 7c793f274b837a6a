import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { windowOf, type FixedWindowCounter, type WindowCount } from './fixed-window-counter.js';

/** INCR, and the expiry set by the window's first hit: one command, atomic on the server. */
const HIT_SCRIPT = `local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count`;
const HIT_SHA = createHash('sha1').update(HIT_SCRIPT).digest('hex');

/**
 * The window's counter in Redis, shared by every instance: one EVALSHA per hit (the token
 * endpoint's hot path pays one command, not MULTI/INCR/EXPIRE/EXEC), falling back to EVAL,
 * which caches the script, when the server does not know it yet (a restart, a failover).
 * The window index is part of the key, so each window starts from zero, and the key never
 * outlives its window by more than a second.
 */
export class RedisFixedWindowCounter implements FixedWindowCounter {
  constructor(
    private readonly redis: Redis,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async hit(key: string, windowSeconds: number): Promise<WindowCount> {
    const { index, resetsAt } = windowOf(this.now(), windowSeconds);
    const redisKey = `gatehouse:{rate}:${windowSeconds}:${key}:${index}`;
    const count = await this.run(redisKey, windowSeconds + 1);
    return { count: Number(count), resetsAt };
  }

  private async run(redisKey: string, ttlSeconds: number): Promise<unknown> {
    try {
      return await this.redis.evalsha(HIT_SHA, 1, redisKey, ttlSeconds);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return this.redis.eval(HIT_SCRIPT, 1, redisKey, ttlSeconds);
    }
  }
}
