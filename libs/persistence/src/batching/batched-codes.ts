import type { TenantId } from '@gatehouse/protocol';
import { currentTraceContext } from '@gatehouse/audit';
import type {
  AuthorizationCodeRepository,
  CodeLookup,
  CodeRedemption,
  NewCodeEntry,
  PresentedCode,
} from '../repositories/authorization-code.repository.js';
import { ConcurrentBatcher } from './concurrent-batcher.js';

/**
 * The authorization code's three hot database steps, each shared by concurrent requests: the
 * authorize endpoint's INSERT of the code with its audit event, and the token endpoint's read of
 * the presented code with its user and its redemption that consumes the code with what it issued.
 * Each write is one statement and one commit for the batch, each request awaiting its own answer;
 * a failed batch fails each of its callers. Every answer is as fresh as a single query's: a batch
 * starts only after its callers asked.
 */
export class BatchedCodes {
  private readonly inserts: ConcurrentBatcher<NewCodeEntry, undefined>;
  private readonly lookups: ConcurrentBatcher<CodeLookup, PresentedCode | null>;
  private readonly redemptions: ConcurrentBatcher<CodeRedemption, boolean>;

  constructor(repository: AuthorizationCodeRepository) {
    this.inserts = new ConcurrentBatcher(
      async (entries) => {
        await repository.insertMany(entries);
        return entries.map(() => undefined);
      },
      { maxBatchSize: 100 },
    );
    this.lookups = new ConcurrentBatcher((lookups) => repository.findPresented(lookups), { maxBatchSize: 200 });
    this.redemptions = new ConcurrentBatcher((redemptions) => repository.redeemMany(redemptions), { maxBatchSize: 100 });
  }

  /** Stores a new code with its audit events, durably, before the caller answers with it. */
  insert(tenantId: TenantId, code: NewCodeEntry['code'], events: NewCodeEntry['events']): Promise<void> {
    // The request's trace context is taken now: the batch's statement runs outside the request.
    return this.inserts.run({ tenantId, code, events, traceContext: currentTraceContext() });
  }

  /** The code by its hash, consumed or not, with its user now; null when this tenant has none. */
  presented(tenantId: TenantId, codeHash: string): Promise<PresentedCode | null> {
    return this.lookups.run({ tenantId, codeHash });
  }

  /** True when this call consumed the code and stored what it issued; false when it was consumed meanwhile (a replay). */
  redeem(redemption: CodeRedemption): Promise<boolean> {
    // The request's trace context is taken now: the batch's statement runs outside the request.
    return this.redemptions.run({ ...redemption, traceContext: currentTraceContext() });
  }
}
