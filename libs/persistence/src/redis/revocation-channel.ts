import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { decodeRevocation, encodeRevocation, REVOCATION_CHANNEL, type RevocationMessage } from '@gatehouse/protocol';

export { REVOCATION_CHANNEL, type RevocationMessage };

/** In-process delivery, for subscribers in the process that revoked. */
const local = new EventEmitter().setMaxListeners(100);

/**
 * Publishes a revocation. Best effort: the database is the record (introspection
 * reads it); a lost message only delays a resource server's cache.
 */
export async function publishRevocation(redis: Redis, tenantId: string, message: RevocationMessage, now: Date): Promise<boolean> {
  if ((message.jtis?.length ?? 0) === 0 && (message.grantIds?.length ?? 0) === 0) return false;
  local.emit('revocation', tenantId);
  await redis.publish(REVOCATION_CHANNEL, encodeRevocation(tenantId, message, now));
  return true;
}

/**
 * Hears revocations made in this process and, with Redis, in every other one: the
 * listener gets the tenant id. Returns the function that stops listening.
 */
export function subscribeRevocations(redis: Redis | undefined, listener: (tenantId: string) => void): () => Promise<void> {
  local.on('revocation', listener);
  if (!redis)
    return () => {
      local.off('revocation', listener);
      return Promise.resolve();
    };
  const subscriber = redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
  subscriber.on('error', () => undefined);
  subscriber.on('message', (channel: string, message: string) => {
    if (channel !== REVOCATION_CHANNEL) return;
    const revocation = decodeRevocation(message);
    if (revocation) listener(revocation.tenantId);
  });
  // Not awaited: with Redis away the subscription waits for the reconnect, and start-up must not.
  void subscriber.subscribe(REVOCATION_CHANNEL).catch(() => undefined);
  return async () => {
    local.off('revocation', listener);
    await subscriber.quit().catch(() => subscriber.disconnect());
  };
}
