import { Injectable } from '@nestjs/common';
import { publishRevocation } from '@gatehouse/persistence';
import { AuthorizationRuntime } from '../../runtime/authorization-runtime.js';

/** Tells resource servers about revocations over Redis when it is configured; never fails the revoking request. */
@Injectable()
export class RevocationNotifier {
  constructor(private readonly runtime: AuthorizationRuntime) {}

  async publish(
    tenantId: string,
    message: { jtis?: readonly string[]; grantId?: string | null; grantIds?: readonly string[] },
  ): Promise<void> {
    const redis = this.runtime.redis;
    if (!redis) return;
    try {
      await publishRevocation(
        redis,
        tenantId,
        { jtis: message.jtis, grantIds: [...(message.grantIds ?? []), ...(message.grantId ? [message.grantId] : [])] },
        this.runtime.now(),
      );
    } catch (error) {
      this.runtime.logger.warn('Could not publish a revocation on Redis', { err: error });
    }
  }
}
