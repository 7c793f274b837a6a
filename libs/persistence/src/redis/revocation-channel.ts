import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';

/** The Redis channel resource servers subscribe to (libs/resource-server) to drop revoked tokens early. */
export const REVOCATION_CHANNEL = 'gatehouse:revocations';

export interface RevocationMessage {
  readonly jtis?: readonly string[];
  readonly grantIds?: readonly string[];
}

/** In-process delivery, for subscribers in the process that revoked. */
const local = new EventEmitter().setMaxListeners(100);

/**
 * Publishes a revocation. Best effort: the database is the record (introspection
 * reads it); a lost message only delays a resource server's cache.
 */
export async function publishRevocation(redis: Redis, tenantId: string, message: RevocationMessage, now: Date): Promise<boolean> {
  if ((message.jtis?.length ?? 0) === 0 && (message.grantIds?.length ?? 0) === 0) return false;
  local.emit('revocation', tenantId);
  await redis.publish(
    REVOCATION_CHANNEL,
    JSON.stringify({ tenant_id: tenantId, jtis: message.jtis ?? [], grant_ids: message.grantIds ?? [], at: now.toISOString() }),
  );
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
    try {
      const tenantId = (JSON.parse(message) as { tenant_id?: unknown }).tenant_id;
      if (typeof tenantId === 'string') listener(tenantId);
    } catch {
      // Not ours: ignore.
    }
  });
  // Not awaited: with Redis away the subscription waits for the reconnect, and start-up must not.
  void subscriber.subscribe(REVOCATION_CHANNEL).catch(() => undefined);
  return async () => {
    local.off('revocation', listener);
    await subscriber.quit().catch(() => subscriber.disconnect());
  };
}
