import type { GatehouseLogger } from '@gatehouse/observability';
import type { Redis } from 'ioredis';
import { InProcessFixedWindowCounter } from './fixed-window-counter.js';
import { LoginThrottle } from './login-throttle.js';
import { TokenRateLimit } from './token-rate-limit.js';
import { RedisFixedWindowCounter } from './redis-fixed-window-counter.js';

export { InProcessFixedWindowCounter, windowOf, type FixedWindowCounter, type WindowCount } from './fixed-window-counter.js';
export { RedisFixedWindowCounter } from './redis-fixed-window-counter.js';
export { LoginThrottle, type ThrottleDecision } from './login-throttle.js';
export { TokenRateLimit } from './token-rate-limit.js';

/** Counters in Redis when the runtime has it (shared by every instance), in this process otherwise. */
export function createLoginThrottle(runtime: { redis: Redis | undefined; logger: GatehouseLogger; now: () => Date }): LoginThrottle {
  const counter = runtime.redis ? new RedisFixedWindowCounter(runtime.redis, runtime.now) : new InProcessFixedWindowCounter(runtime.now);
  return new LoginThrottle(counter, runtime.logger, runtime.now);
}

/** The token endpoint's per-client limit, on the same kind of counter as the login throttle. */
export function createTokenRateLimit(runtime: { redis: Redis | undefined; logger: GatehouseLogger; now: () => Date }): TokenRateLimit {
  const counter = runtime.redis ? new RedisFixedWindowCounter(runtime.redis, runtime.now) : new InProcessFixedWindowCounter(runtime.now);
  return new TokenRateLimit(counter, runtime.logger, runtime.now);
}
