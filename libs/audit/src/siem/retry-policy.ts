export interface RetryDelayOptions {
  readonly baseMs: number;
  readonly maxMs: number;
  /** [0, 1), injectable for tests; Math.random by default. */
  readonly random?: () => number;
}

/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"):
 * a uniformly random delay in [0, min(maxMs, baseMs · 2^(attempt-1))). Full jitter spreads the
 * retries of many workers hitting one recovering SIEM instead of synchronising them.
 * `attempt` counts from 1 (the first retry).
 */
export function retryDelay(attempt: number, options: RetryDelayOptions): number {
  const exponent = Math.max(0, Math.floor(attempt) - 1);
  // 2 ** 1024 is Infinity; min() keeps the ceiling finite whatever the attempt.
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(exponent, 1000));
  const random = options.random ?? Math.random;
  return Math.floor(Math.min(Math.max(random(), 0), 1 - Number.EPSILON) * ceiling);
}
