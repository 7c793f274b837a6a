import type { AuditOutbox } from '@gatehouse/audit';
import type { GatehouseLogger } from '@gatehouse/observability';
import type { Redis } from 'ioredis';
import { AccountLockNotice } from './account-lock-notice.js';
import { InProcessLockNoticeStore, RedisLockNoticeStore } from './lock-notice-store.js';
import { InProcessFixedWindowCounter, type FixedWindowCounter } from './fixed-window-counter.js';
import { LoginThrottle } from './login-throttle.js';
import { CounterThrottlerStorage } from './counter-throttler-storage.js';
import { EndpointRateLimiter, type RateLimitOptions } from './endpoint-rate-limiter.js';
import { ProgressiveDelay } from './progressive-delay.js';
import { RedisFixedWindowCounter } from './redis-fixed-window-counter.js';

export { InProcessFixedWindowCounter, windowOf, type FixedWindowCounter, type WindowCount } from './fixed-window-counter.js';
export { RedisFixedWindowCounter } from './redis-fixed-window-counter.js';
export { AccountLockNotice } from './account-lock-notice.js';
export { InProcessLockNoticeStore, RedisLockNoticeStore, type LockNoticeStore, type RecentFailures } from './lock-notice-store.js';
export { ProgressiveDelay, progressiveDelayMs, DELAY_AFTER_FAILURES } from './progressive-delay.js';
export { LoginThrottle, type ThrottleDecision } from './login-throttle.js';
export { CounterThrottlerStorage, type CounterRecord } from './counter-throttler-storage.js';
export { EndpointRateLimiter, limitLabel, type CountedHit, type LimitRequest, type RateLimitOptions } from './endpoint-rate-limiter.js';

/** Login attempts per client IP per tenant. */
export function createLoginThrottle(runtime: CounterSources): LoginThrottle {
  return new LoginThrottle(counterFor(runtime), runtime.logger, runtime.now);
}

/** The endpoint limits (docs/adr/0009): one per process, so every endpoint and grant counts in the same storage. */
export function createEndpointRateLimiter(
  runtime: CounterSources,
  audit: AuditOutbox,
  options: RateLimitOptions,
  onRefused?: ConstructorParameters<typeof EndpointRateLimiter>[5],
): EndpointRateLimiter {
  return new EndpointRateLimiter(
    new CounterThrottlerStorage(counterFor(runtime), runtime.now),
    audit,
    runtime.logger,
    options,
    runtime.now,
    onRefused,
  );
}

/**
 * Counts refused logins per username for the "account locked" notice, and reads the same count
 * for the progressive delay before it; in Redis when the runtime has it.
 */
export function createUsernameThrottling(runtime: CounterSources): { notice: AccountLockNotice; delay: ProgressiveDelay } {
  const store = runtime.redis ? new RedisLockNoticeStore(runtime.redis) : new InProcessLockNoticeStore();
  return {
    notice: new AccountLockNotice(store, runtime.logger, runtime.now),
    delay: new ProgressiveDelay(store, runtime.logger, runtime.now),
  };
}

/** Where the throttles count: Redis when configured (shared by every instance), this process otherwise. */
export type CounterSources = { readonly redis: Redis | undefined; readonly logger: GatehouseLogger; readonly now: () => Date };

/** Counters in Redis when the runtime has it (shared by every instance), in this process otherwise. */
export function counterFor(runtime: CounterSources): FixedWindowCounter {
  return runtime.redis ? new RedisFixedWindowCounter(runtime.redis, runtime.now) : new InProcessFixedWindowCounter(runtime.now);
}
