import type { Persistence, User } from '@gatehouse/persistence';
import { hashPassword, passwordWeakness } from '@gatehouse/tokens';
import { AdminProblem } from '../errors/admin-problem.js';
import type { TenantService } from '../tenants/tenant.service.js';

const USERNAME = /^[A-Za-z0-9._@+-]{1,128}$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]{2,}$/;

export interface CreateUserInput {
  readonly tenant: string;
  readonly username: string;
  readonly email?: string | undefined;
  /** Absent: the account exists without a password until one is set. */
  readonly password?: string | undefined;
  readonly roles?: readonly string[];
}

export class UserService {
  constructor(
    private readonly persistence: Persistence,
    private readonly tenants: TenantService,
  ) {}

  async listPage(slug: string, afterUsername: string | null, limit: number): Promise<User[]> {
    const tenant = await this.tenants.get(slug);
    return this.persistence.repositories.users.listPage(tenant.id, afterUsername, limit);
  }

  async get(slug: string, username: string): Promise<User> {
    const tenant = await this.tenants.get(slug);
    const user = await this.persistence.repositories.users.findByUsername(tenant.id, username);
    if (!user) throw new AdminProblem('not_found', `unknown user "${username}"`);
    return user;
  }

  async create(input: CreateUserInput): Promise<User> {
    const tenant = await this.tenants.get(input.tenant);
    if (!USERNAME.test(input.username)) {
      throw new AdminProblem('validation_failed', 'username must be 1-128 letters, digits or . _ @ + -', 'username');
    }
    if (input.email !== undefined && !EMAIL.test(input.email)) {
      throw new AdminProblem('validation_failed', 'email is not a valid address', 'email');
    }
    let passwordHash: string | null = null;
    if (input.password !== undefined) {
      const weakness = passwordWeakness(input.password, input.username);
      if (weakness) throw new AdminProblem('weak_password', weakness, 'password');
      passwordHash = await hashPassword(input.password);
    }
    const result = await this.persistence.repositories.users.insert(tenant.id, {
      username: input.username,
      email: input.email ?? null,
      passwordHash,
      roles: input.roles ?? [],
    });
    if ('conflict' in result) {
      throw new AdminProblem('conflict', `a user with this ${result.conflict} already exists in tenant "${tenant.slug}"`, result.conflict);
    }
    return result.created;
  }
}
