import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { ConcurrentBatcher } from '@gatehouse/persistence';
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
 *
 * Hits of concurrent requests travel together: while one pipeline is out, the next gathers, and
 * goes as one write with one reply to read. Each hit is still its own atomic script with its own
 * answer; only the round trip is shared (an idle server sends each hit at once).
 */
export class RedisFixedWindowCounter implements FixedWindowCounter {
  private readonly hits: ConcurrentBatcher<Hit, HitOutcome>;

  constructor(
    private readonly redis: Redis,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.hits = new ConcurrentBatcher((batch) => this.hitAll(batch), { maxBatchSize: 256, maxInFlight: 1 });
  }

  async hit(key: string, windowSeconds: number): Promise<WindowCount> {
    const { index, resetsAt } = windowOf(this.now(), windowSeconds);
    const outcome = await this.hits.run({ redisKey: redisKeyOf(key, windowSeconds, index), ttlSeconds: windowSeconds + 1 });
    if ('error' in outcome) throw outcome.error;
    return { count: Number(outcome.count), resetsAt };
  }

  async refund(key: string, windowSeconds: number, resetsAt: Date): Promise<void> {
    await this.redis.eval(REFUND_SCRIPT, 1, redisKeyOf(key, windowSeconds, indexEndingAt(resetsAt, windowSeconds)));
  }

  /** One pipeline of EVALSHAs; the hits Redis had no script for go again as EVAL (which caches it). */
  private async hitAll(batch: readonly Hit[]): Promise<HitOutcome[]> {
    const first = await this.pipelined(batch, (pipeline, hit) => pipeline.evalsha(HIT_SHA, 1, hit.redisKey, hit.ttlSeconds));
    const unknown = batch.filter((_, index) => isNoScript(first[index]));
    if (unknown.length === 0) return first;
    const retried = await this.pipelined(unknown, (pipeline, hit) => pipeline.eval(HIT_SCRIPT, 1, hit.redisKey, hit.ttlSeconds));
    let next = 0;
    return first.map((outcome) => (isNoScript(outcome) ? (retried[next++] as HitOutcome) : outcome));
  }

  private async pipelined(hits: readonly Hit[], add: (pipeline: ReturnType<Redis['pipeline']>, hit: Hit) => void): Promise<HitOutcome[]> {
    const pipeline = this.redis.pipeline();
    for (const hit of hits) add(pipeline, hit);
    const replies = (await pipeline.exec()) ?? [];
    return hits.map((_, index) => {
      const [error, count] = replies[index] ?? [new Error('Redis answered no reply for a rate-limit hit'), null];
      return error ? { error } : { count };
    });
  }
}

interface Hit {
  readonly redisKey: string;
  readonly ttlSeconds: number;
}

type HitOutcome = { readonly count: unknown } | { readonly error: Error };

function isNoScript(outcome: HitOutcome | undefined): boolean {
  return outcome !== undefined && 'error' in outcome && outcome.error.message.startsWith('NOSCRIPT');
}

function redisKeyOf(key: string, windowSeconds: number, index: number): string {
  return `gatehouse:{rate}:${windowSeconds}:${key}:${index}`;
}
