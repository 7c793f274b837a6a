import { InMemoryAssertionReplayStore, type AssertionReplayStore } from '@gatehouse/protocol';

/** What an ioredis client offers for `SET key value PX ms NX`. */
export interface RedisSetNx {
  set(key: string, value: string, px: 'PX', milliseconds: number, nx: 'NX'): Promise<'OK' | null>;
}

/**
 * DPoP `jti` single use across every instance of the API (RFC 9449 §11.1): one `SET NX` per proof,
 * kept until the proof could no longer be accepted. A Redis error rejects, so the proof is refused.
 */
export function redisReplayStore(redis: RedisSetNx, prefix = 'gatehouse-rs:dpop-jti'): AssertionReplayStore {
  return {
    async markUsed(scope, jti, expiresAt) {
      const ttl = Math.max(1000, expiresAt.getTime() - Date.now());
      return (await redis.set(`${prefix}:${scope}:${jti}`, '1', 'PX', ttl, 'NX')) === 'OK';
    },
  };
}

/** For a single instance: jtis remembered in memory until they expire. */
export function memoryReplayStore(): AssertionReplayStore {
  return new InMemoryAssertionReplayStore();
}
