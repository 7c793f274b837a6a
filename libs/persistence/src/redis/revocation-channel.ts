import type { Redis } from 'ioredis';

/** The Redis channel resource servers subscribe to (libs/resource-server) to drop revoked tokens early. */
export const REVOCATION_CHANNEL = 'gatehouse:revocations';

export interface RevocationMessage {
  readonly jtis?: readonly string[];
  readonly grantIds?: readonly string[];
}

/**
 * Publishes a revocation. Best effort: the database is the record (introspection
 * reads it); a lost message only delays a resource server's cache.
 */
export async function publishRevocation(redis: Redis, tenantId: string, message: RevocationMessage, now: Date): Promise<boolean> {
  if ((message.jtis?.length ?? 0) === 0 && (message.grantIds?.length ?? 0) === 0) return false;
  await redis.publish(
    REVOCATION_CHANNEL,
    JSON.stringify({ tenant_id: tenantId, jtis: message.jtis ?? [], grant_ids: message.grantIds ?? [], at: now.toISOString() }),
  );
  return true;
}
