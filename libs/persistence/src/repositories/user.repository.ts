import type { EntityManager } from 'typeorm';
import type { TenantId } from '@gatehouse/protocol';
import { UserEntity } from '../entities/user.entity.js';

export interface User {
  readonly id: string;
  readonly tenantId: TenantId;
  readonly username: string;
  readonly email: string | null;
  readonly emailVerified: boolean;
  readonly name: string | null;
  readonly roles: readonly string[];
  readonly status: 'active' | 'disabled';
  readonly createdAt: Date;
}

export interface NewUser {
  readonly username: string;
  readonly email: string | null;
  readonly passwordHash: string | null;
  readonly roles?: readonly string[];
}

export type UserInsertResult = { readonly created: User } | { readonly conflict: 'username' | 'email' };

/** Users of one tenant; usernames and emails are unique per tenant, case-insensitively. */
export class UserRepository {
  constructor(private readonly manager: EntityManager) {}

  async findByUsername(tenantId: TenantId, username: string): Promise<User | null> {
    const row = await this.manager.findOne(UserEntity, { where: { tenantId, username: username.toLowerCase() } });
    return row ? toUser(row) : null;
  }

  /** The stored argon2id hash for a login check; null when there is no such active user. */
  async findPasswordHash(tenantId: TenantId, username: string): Promise<{ userId: string; passwordHash: string } | null> {
    const row = await this.manager.findOne(UserEntity, {
      select: { id: true, passwordHash: true },
      where: { tenantId, username: username.toLowerCase(), status: 'active' },
    });
    return row?.passwordHash ? { userId: row.id, passwordHash: row.passwordHash } : null;
  }

  async findById(tenantId: TenantId, id: string): Promise<User | null> {
    const row = await this.manager.findOne(UserEntity, { where: { tenantId, id } });
    return row ? toUser(row) : null;
  }

  /** Keyset pagination by username. */
  async listPage(tenantId: TenantId, afterUsername: string | null, limit: number): Promise<User[]> {
    const query = this.manager
      .createQueryBuilder(UserEntity, 'u')
      .where('u.tenant_id = :tenantId', { tenantId })
      .orderBy('u.username', 'ASC')
      .limit(limit);
    if (afterUsername !== null) query.andWhere('u.username > :after', { after: afterUsername });
    return (await query.getMany()).map(toUser);
  }

  async countByTenant(tenantId: TenantId): Promise<number> {
    return this.manager.count(UserEntity, { where: { tenantId } });
  }

  async insert(tenantId: TenantId, user: NewUser): Promise<UserInsertResult> {
    const result = await this.manager
      .createQueryBuilder()
      .insert()
      .into(UserEntity)
      .values({
        tenantId,
        username: user.username.toLowerCase(),
        email: user.email?.toLowerCase() ?? null,
        passwordHash: user.passwordHash,
        roles: [...(user.roles ?? [])],
      })
      .orIgnore()
      .returning('*')
      .execute();
    const raw = (result.raw as Record<string, unknown>[])[0];
    if (raw) {
      const created = await this.findByUsername(tenantId, user.username);
      if (created) return { created };
    }
    return { conflict: (await this.findByUsername(tenantId, user.username)) ? 'username' : 'email' };
  }
}

function toUser(row: UserEntity): User {
  return {
    id: row.id,
    tenantId: row.tenantId as TenantId,
    username: row.username,
    email: row.email,
    emailVerified: row.emailVerified,
    name: row.name,
    roles: row.roles,
    status: row.status,
    createdAt: row.createdAt,
  };
}
