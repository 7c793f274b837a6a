import type { TenantId } from '@gatehouse/protocol';
import { withTraceContext } from '@gatehouse/audit';
import type {
  AuthorizationCodeRepository,
  CodeLookup,
  CodeRedemption,
  PresentedCode,
} from '../repositories/authorization-code.repository.js';
import { ConcurrentBatcher } from './concurrent-batcher.js';

/**
 * The authorization_code grant's two database steps, each shared by concurrent exchanges: the
 * read of the presented code with its user (one query), and the redemption that consumes it with
 * what it issued (one statement and one commit for the batch, each exchange awaiting its own
 * answer). Every answer is as fresh as a single query's: a batch starts only after its callers asked.
 */
export class BatchedCodeRedemptions {
  private readonly lookups: ConcurrentBatcher<CodeLookup, PresentedCode | null>;
  private readonly redemptions: ConcurrentBatcher<CodeRedemption, boolean>;

  constructor(repository: AuthorizationCodeRepository) {
    this.lookups = new ConcurrentBatcher((lookups) => repository.findPresented(lookups), { maxBatchSize: 200, maxInFlight: 2 });
    this.redemptions = new ConcurrentBatcher((redemptions) => repository.redeemMany(redemptions), { maxBatchSize: 100, maxInFlight: 2 });
  }

  /** The code by its hash, consumed or not, with its user now; null when this tenant has none. */
  presented(tenantId: TenantId, codeHash: string): Promise<PresentedCode | null> {
    return this.lookups.run({ tenantId, codeHash });
  }

  /** True when this call consumed the code and stored what it issued; false when it was consumed meanwhile (a replay). */
  redeem(redemption: CodeRedemption): Promise<boolean> {
    // The request's trace context is taken now: the batch's statement runs outside the request.
    return this.redemptions.run({ ...redemption, events: withTraceContext(redemption.events) });
  }
}
