import { Clock } from '@gatehouse/protocol';
import { Injectable } from '@nestjs/common';
import { publishRevocation, OptionalRedis } from '@gatehouse/persistence';
import { GatehouseLogger } from '@gatehouse/observability';

/** Tells resource servers about revocations over Redis when it is configured; never fails the revoking request. */
@Injectable()
export class RevocationNotifier {
  constructor(
    private readonly redis: OptionalRedis,
    private readonly clock: Clock,
    private readonly logger: GatehouseLogger,
  ) {}

  async publish(
    tenantId: string,
    message: { jtis?: readonly string[]; grantId?: string | null; grantIds?: readonly string[] },
  ): Promise<void> {
    const redis = this.redis.client;
    if (!redis) return;
    try {
      await publishRevocation(
        redis,
        tenantId,
        { jtis: message.jtis, grantIds: [...(message.grantIds ?? []), ...(message.grantId ? [message.grantId] : [])] },
        this.clock.now(),
      );
    } catch (error) {
      this.logger.warn('Could not publish a revocation on Redis', { err: error });
    }
  }
}
