import type { Redis } from 'ioredis';

/** The shared Redis connection when REDIS_URL is set; `client` is undefined otherwise (announcements are then skipped). */
export class OptionalRedis {
  constructor(readonly client: Redis | undefined) {}
}
