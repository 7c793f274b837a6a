import type { Redis } from 'ioredis';
import type { AssertionReplayStore } from '@gatehouse/protocol';

/** RFC 7523 §3 jti single use across instances: SET NX with the assertion's remaining lifetime. */
export class RedisAssertionReplayStore implements AssertionReplayStore {
  constructor(private readonly redis: Redis) {}

  async markUsed(clientId: string, jti: string, expiresAt: Date): Promise<boolean> {
    const ttlMs = Math.max(1000, expiresAt.getTime() - Date.now());
    const key = `gatehouse:{assertion-jti}:${clientId}:${jti}`;
    return (await this.redis.set(key, '1', 'PX', ttlMs, 'NX')) === 'OK';
  }
}
