import { Injectable } from '@nestjs/common';
import { AuthorizationRuntime } from '../../runtime/authorization-runtime.js';

/** The Redis channel resource servers subscribe to (libs/resource-server) to drop revoked tokens early. */
export const REVOCATION_CHANNEL = 'gatehouse:revocations';

export interface RevocationMessage {
  readonly jtis?: readonly string[];
  readonly grantId?: string | null;
}

/**
 * Publishes revocations on Redis when it is configured. Best effort: the database
 * is the record (introspection reads it); a lost message only delays a resource
 * server's cache, and never fails the request that revoked.
 */
@Injectable()
export class RevocationNotifier {
  constructor(private readonly runtime: AuthorizationRuntime) {}

  async publish(tenantId: string, message: RevocationMessage): Promise<void> {
    const redis = this.runtime.redis;
    if (!redis || ((message.jtis?.length ?? 0) === 0 && !message.grantId)) return;
    try {
      await redis.publish(
        REVOCATION_CHANNEL,
        JSON.stringify({
          tenant_id: tenantId,
          jtis: message.jtis ?? [],
          grant_id: message.grantId ?? null,
          at: this.runtime.now().toISOString(),
        }),
      );
    } catch (error) {
      this.runtime.logger.warn('Could not publish a revocation on Redis', { err: error });
    }
  }
}
