import type { Persistence, RegistrationToken } from '@gatehouse/persistence';
import { generateOpaqueSecret, hashOpaqueSecret } from '@gatehouse/tokens';
import { AdminProblem } from '../errors/admin-problem.js';
import type { TenantService } from '../tenants/tenant.service.js';

const DEFAULT_LIFETIME_SECONDS = 86_400;
const MAX_LIFETIME_SECONDS = 365 * 86_400;

/** Initial access tokens that let a developer register clients at /t/{tenant}/register (RFC 7591 §3). */
export class RegistrationTokenService {
  constructor(
    private readonly persistence: Persistence,
    private readonly tenants: TenantService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The token is returned once; only its hash is kept. */
  async create(
    slug: string,
    expiresInSeconds: number = DEFAULT_LIFETIME_SECONDS,
  ): Promise<{ token: string; registrationToken: RegistrationToken }> {
    if (!Number.isInteger(expiresInSeconds) || expiresInSeconds < 60 || expiresInSeconds > MAX_LIFETIME_SECONDS) {
      throw new AdminProblem('validation_failed', `expires_in must be an integer from 60 to ${MAX_LIFETIME_SECONDS} seconds`, 'expires_in');
    }
    const tenant = await this.tenants.get(slug);
    const token = generateOpaqueSecret();
    const registrationToken = await this.persistence.repositories.registrationTokens.insert(
      tenant.id,
      hashOpaqueSecret(token),
      new Date(this.now().getTime() + expiresInSeconds * 1000),
    );
    return { token, registrationToken };
  }

  async list(slug: string): Promise<RegistrationToken[]> {
    const tenant = await this.tenants.get(slug);
    return this.persistence.repositories.registrationTokens.listByTenant(tenant.id);
  }

  async revoke(slug: string, id: string): Promise<void> {
    const tenant = await this.tenants.get(slug);
    if (!(await this.persistence.repositories.registrationTokens.revoke(tenant.id, id, this.now()))) {
      throw new AdminProblem('not_found', 'unknown or already revoked registration token');
    }
  }
}
