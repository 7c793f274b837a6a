import type { Api, Persistence } from '@gatehouse/persistence';
import { OIDC_SCOPES, parseScope } from '@gatehouse/protocol';
import { AdminProblem } from '../errors/admin-problem.js';
import type { TenantService } from '../tenants/tenant.service.js';

export interface CreateApiInput {
  readonly tenant: string;
  readonly identifier: string;
  readonly name?: string | undefined;
  readonly scope: string;
}

/** Reserved for OpenID Connect: an API cannot claim them. */
const RESERVED_SCOPES = new Set([...OIDC_SCOPES, 'address', 'phone']);

export class ApiService {
  constructor(
    private readonly persistence: Persistence,
    private readonly tenants: TenantService,
  ) {}

  async list(slug: string): Promise<Api[]> {
    const tenant = await this.tenants.get(slug);
    return this.persistence.repositories.apis.listByTenant(tenant.id);
  }

  /** RFC 8707 §2: a resource indicator is an absolute URI without a fragment. */
  async create(input: CreateApiInput): Promise<Api> {
    const tenant = await this.tenants.get(input.tenant);
    if (!isResourceIdentifier(input.identifier)) {
      throw new AdminProblem('validation_failed', 'identifier must be an absolute URI without a fragment', 'identifier');
    }
    const scopes = parseScope(input.scope);
    if (!scopes || scopes.length === 0)
      throw new AdminProblem('validation_failed', 'scope must list at least one RFC 6749 scope token', 'scope');
    const reserved = scopes.find((scope) => RESERVED_SCOPES.has(scope));
    if (reserved) throw new AdminProblem('validation_failed', `scope "${reserved}" is reserved for OpenID Connect`, 'scope');
    const name = (input.name ?? input.identifier).trim().slice(0, 200);
    const api = await this.persistence.repositories.apis.insert(tenant.id, { identifier: input.identifier, name, scopes });
    if (!api)
      throw new AdminProblem(
        'conflict',
        `an API with identifier ${input.identifier} already exists in tenant "${tenant.slug}"`,
        'identifier',
      );
    return api;
  }
}

export function isResourceIdentifier(value: string): boolean {
  if (value.length > 2000 || value.includes('#') || /\s/.test(value)) return false;
  try {
    return new URL(value).protocol.length > 1;
  } catch {
    return false;
  }
}
