import type { TenantId } from '@gatehouse/protocol';
import type { Session, SessionLookup, SessionRepository } from '../repositories/session.repository.js';
import { ConcurrentBatcher } from './concurrent-batcher.js';

/**
 * The SSO session behind a cookie, the authorize endpoint's first read, with concurrent requests
 * sharing one query (SessionRepository.findActiveMany). Each answer is as fresh as a single
 * query's: a batch starts only after its callers asked.
 */
export class BatchedSessionLookups {
  private readonly batcher: ConcurrentBatcher<SessionLookup, Session | null>;

  constructor(repository: SessionRepository) {
    this.batcher = new ConcurrentBatcher((lookups) => repository.findActiveMany(lookups), { maxBatchSize: 200 });
  }

  /** The session whose cookie hashes to `tokenHash`, active at `now` with an active user; null otherwise. */
  findActive(tenantId: TenantId, tokenHash: string, now: Date): Promise<Session | null> {
    return this.batcher.run({ tenantId, tokenHash, now });
  }
}
