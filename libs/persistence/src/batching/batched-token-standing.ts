import type { TenantId } from '@gatehouse/protocol';
import type { StandingQuery, TokenBinding, TokenStanding, TokenStandingRepository } from '../repositories/token-standing.repository.js';
import { ConcurrentBatcher } from './concurrent-batcher.js';

/**
 * The token standing check of introspection, userinfo and the admin API, with concurrent
 * requests sharing one query (TokenStandingRepository.checkMany). Each answer is as fresh
 * as a single query's: a batch starts only after its callers asked.
 */
export class BatchedTokenStanding {
  private readonly batcher: ConcurrentBatcher<StandingQuery, TokenStanding>;

  constructor(repository: TokenStandingRepository) {
    this.batcher = new ConcurrentBatcher((queries) => repository.checkMany(queries), { maxBatchSize: 200 });
  }

  check(tenantId: TenantId, binding: TokenBinding, now: Date): Promise<TokenStanding> {
    return this.batcher.run({ tenantId, binding, now });
  }
}
