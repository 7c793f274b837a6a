import type { ThrottlerStorage } from '@nestjs/throttler';
import type { FixedWindowCounter } from './fixed-window-counter.js';

/** What `@nestjs/throttler` expects of a storage record (its `ThrottlerStorageRecord`), times in seconds. */
export interface CounterRecord {
  readonly totalHits: number;
  readonly timeToExpire: number;
  readonly isBlocked: boolean;
  readonly timeToBlockExpire: number;
  /** When the window ends: what `refund` needs to take this hit back. */
  readonly resetsAt: Date;
}

/**
 * `@nestjs/throttler`'s storage contract on our fixed-window counter: Redis (one EVALSHA doing INCR
 * and the expiry, shared by every instance) or in-process without REDIS_URL. A fixed window blocks
 * until it ends, so `blockDuration` is the rest of the window whatever the caller asks for.
 * Keys are the caller's: the throttler name is prefixed so two throttlers never share a count.
 */
export class CounterThrottlerStorage implements ThrottlerStorage {
  constructor(
    private readonly counter: FixedWindowCounter,
    private readonly now: () => Date,
  ) {}

  async increment(key: string, ttlMs: number, limit: number, _blockDurationMs: number, throttlerName: string): Promise<CounterRecord> {
    const windowSeconds = windowSecondsOf(ttlMs);
    const { count, resetsAt } = await this.counter.hit(`${throttlerName}:${key}`, windowSeconds);
    const timeToExpire = Math.max(1, Math.ceil((resetsAt.getTime() - this.now().getTime()) / 1000));
    const isBlocked = count > limit;
    return { totalHits: count, timeToExpire, isBlocked, timeToBlockExpire: isBlocked ? timeToExpire : 0, resetsAt };
  }

  /** Takes back a hit `increment` counted (a request that, in the end, counts under another key). */
  refund(key: string, ttlMs: number, throttlerName: string, resetsAt: Date): Promise<void> {
    return this.counter.refund(`${throttlerName}:${key}`, windowSecondsOf(ttlMs), resetsAt);
  }
}

function windowSecondsOf(ttlMs: number): number {
  return Math.max(1, Math.round(ttlMs / 1000));
}
