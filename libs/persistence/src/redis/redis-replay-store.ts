import type { Redis } from 'ioredis';
import type { AssertionReplayStore } from '@gatehouse/protocol';

/**
 * RFC 7523 §3 (and RFC 9449 §11.1 for DPoP proofs) jti single use across instances: SET NX with
 * the remaining lifetime. A Redis error rejects, and callers refuse rather than skip the check.
 */
export class RedisAssertionReplayStore implements AssertionReplayStore {
  constructor(
    private readonly redis: Redis,
    private readonly namespace = 'assertion-jti',
  ) {}

  async markUsed(clientId: string, jti: string, expiresAt: Date): Promise<boolean> {
    const ttlMs = Math.max(1000, expiresAt.getTime() - Date.now());
    const key = `gatehouse:{${this.namespace}}:${clientId}:${jti}`;
    return (await this.redis.set(key, '1', 'PX', ttlMs, 'NX')) === 'OK';
  }
}
