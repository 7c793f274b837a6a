import type { TenantId } from '@gatehouse/protocol';
import { currentTraceContext } from '@gatehouse/audit';
import type {
  RefreshTokenLookup,
  RefreshTokenRedemption,
  RefreshTokenRepository,
  Rotation,
  RotationOutcome,
} from '../repositories/refresh-token.repository.js';
import { ConcurrentBatcher } from './concurrent-batcher.js';

/**
 * The refresh_token grant's two database steps, each shared by concurrent requests: the
 * lookup of the presented token with its user (one query), and the rotation that spends it
 * (one statement and one commit for the batch, each request awaiting its own answer). Every
 * answer is as fresh as a single query's: a batch starts only after its callers asked.
 */
export class BatchedRefreshTokens {
  private readonly lookups: ConcurrentBatcher<RefreshTokenLookup, RefreshTokenRedemption | null>;
  private readonly rotations: ConcurrentBatcher<Rotation, RotationOutcome>;

  constructor(repository: RefreshTokenRepository) {
    this.lookups = new ConcurrentBatcher((lookups) => repository.redeemable(lookups), { maxBatchSize: 200 });
    this.rotations = new ConcurrentBatcher((rotations) => repository.rotateMany(rotations), { maxBatchSize: 200 });
  }

  /** The presented token (by hash) with its family and the family's user; null when there is none in this tenant. */
  redeemable(tenantId: TenantId, tokenHash: string): Promise<RefreshTokenRedemption | null> {
    return this.lookups.run({ tenantId, tokenHash });
  }

  /** `rotated` when this call spent the token and stored its successor (RotationOutcome). */
  rotate(rotation: Rotation): Promise<RotationOutcome> {
    // The request's trace context is taken now: the batch's statement runs outside the request.
    return this.rotations.run({ ...rotation, traceContext: currentTraceContext() });
  }
}
