import type { TenantId } from '@gatehouse/protocol';
import type { User, UserLookup, UserRepository } from '../repositories/user.repository.js';
import { ConcurrentBatcher } from './concurrent-batcher.js';

/**
 * A user by id, userinfo's read of the token's subject, with concurrent requests sharing one
 * query (UserRepository.findManyByIds). Each answer is as fresh as a single query's: a batch
 * starts only after its callers asked.
 */
export class BatchedUserLookups {
  private readonly batcher: ConcurrentBatcher<UserLookup, User | null>;

  constructor(repository: UserRepository) {
    this.batcher = new ConcurrentBatcher((lookups) => repository.findManyByIds(lookups), { maxBatchSize: 200 });
  }

  findById(tenantId: TenantId, userId: string): Promise<User | null> {
    return this.batcher.run({ tenantId, userId });
  }
}
