import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { indexEndingAt, windowOf, type FixedWindowCounter, type WindowCount } from './fixed-window-counter.js';

/** INCR, and the expiry set by the window's first hit: one command, atomic on the server. */
const HIT_SCRIPT = `local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count`;
const HIT_SHA = createHash('sha1').update(HIT_SCRIPT).digest('hex');
/** DECR only a counter that exists and is above zero: a refund never starts a window nor goes negative. */
const REFUND_SCRIPT = `local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count > 0 then return redis.call('DECR', KEYS[1]) end
return 0`;

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
    const count = await this.run(redisKeyOf(key, windowSeconds, index), windowSeconds + 1);
    return { count: Number(count), resetsAt };
  }

  async refund(key: string, windowSeconds: number, resetsAt: Date): Promise<void> {
    await this.redis.eval(REFUND_SCRIPT, 1, redisKeyOf(key, windowSeconds, indexEndingAt(resetsAt, windowSeconds)));
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

function redisKeyOf(key: string, windowSeconds: number, index: number): string {
  return `gatehouse:{rate}:${windowSeconds}:${key}:${index}`;
}
