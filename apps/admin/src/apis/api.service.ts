import { CONFIG_CHANGE_PUBLISHER } from '../admin-injection-tokens.js';
import { Inject, Injectable } from '@nestjs/common';
import { type Api, type ConfigChangePublisher, Persistence, type Tenant } from '@gatehouse/persistence';
import { OIDC_SCOPES, parseScope } from '@gatehouse/protocol';
import { AdminAuditService } from '../audit/admin-audit.service.js';
import { ADMIN_API_IDENTIFIER, ADMIN_SCOPE } from '../auth/admin-roles.js';
import { AdminProblem } from '../errors/admin-problem.js';
import { SYSTEM_TENANT } from '../platform/platform-bootstrap.js';
import { LOCAL_OPERATOR, TenantService } from '../tenants/tenant.service.js';
import { presentApi } from './api.presenter.js';

export interface CreateApiInput {
  readonly tenant: string;
  readonly identifier: string;
  readonly name?: string | undefined;
  readonly scope: string;
}

/** What GET .../apis narrows by: one identifier, or the APIs defining a scope. */
export interface ApiListFilter {
  readonly identifier?: string | undefined;
  readonly scope?: string | undefined;
}

export interface UpdateApiInput {
  readonly name?: string | undefined;
  readonly scope?: string | undefined;
}

/** Reserved for OpenID Connect: an API cannot claim them. */
const RESERVED_SCOPES = new Set([...OIDC_SCOPES, 'address', 'phone']);

/** APIs (RFC 8707 resources) of a tenant; every change is written with its audit event in one transaction. */
@Injectable()
export class ApiService {
  constructor(
    private readonly persistence: Persistence,
    private readonly tenants: TenantService,
    /** Tells every authorization instance's API cache (client_credentials resolves resources from it). */
    @Inject(CONFIG_CHANGE_PUBLISHER) private readonly announce: ConfigChangePublisher,
    private readonly audit: AdminAuditService,
  ) {}

  async listPage(slug: string, afterIdentifier: string | null, limit: number, filter: ApiListFilter = {}): Promise<Api[]> {
    const tenant = await this.tenants.get(slug);
    return this.persistence.repositories.apis.listPage(tenant.id, afterIdentifier, limit, filter);
  }

  async get(slug: string, id: string): Promise<Api> {
    const tenant = await this.tenants.get(slug);
    const api = await this.persistence.repositories.apis.findById(tenant.id, id);
    if (!api) throw unknownApi();
    return api;
  }

  /** RFC 8707 §2: a resource indicator is an absolute URI without a fragment. */
  async create(input: CreateApiInput, actor: string = LOCAL_OPERATOR): Promise<Api> {
    const tenant = await this.tenants.get(input.tenant);
    if (!isResourceIdentifier(input.identifier)) {
      throw new AdminProblem('validation_failed', 'identifier must be an absolute URI without a fragment', 'identifier');
    }
    const scopes = apiScopes(input.scope);
    const name = (input.name ?? input.identifier).trim().slice(0, 200);
    const created = await this.persistence.transaction(async (repos) => {
      const api = await repos.apis.insert(tenant.id, { identifier: input.identifier, name, scopes });
      if (!api)
        throw new AdminProblem(
          'conflict',
          `an API with identifier ${input.identifier} already exists in tenant "${tenant.slug}"`,
          'identifier',
        );
      await this.audit.recordIn(repos, tenant.id, {
        actor,
        action: 'admin.api.created',
        target: api.identifier,
        before: null,
        after: presentApi(api),
      });
      return api;
    });
    await this.announce({ kind: 'apis', tenantId: tenant.id });
    return created;
  }

  /** Name and scopes, if the API is still as the caller read it (`expected`). The identifier never changes. */
  async update(slug: string, expected: Api, input: UpdateApiInput, actor: string = LOCAL_OPERATOR): Promise<Api> {
    const tenant = await this.tenants.get(slug);
    const name = input.name === undefined ? expected.name : input.name.trim();
    if (name === '' || name.length > 200) throw new AdminProblem('validation_failed', 'name must be 1-200 characters', 'name');
    const scopes = input.scope === undefined ? expected.scopes : apiScopes(input.scope);
    if (isAdminApi(tenant, expected) && !scopes.includes(ADMIN_SCOPE))
      throw new AdminProblem('conflict', `the admin API keeps its "${ADMIN_SCOPE}" scope: admin tokens depend on it`, 'scope');
    const changed = await this.persistence.transaction(async (repos) => {
      const updated = await repos.apis.updateIfUnchanged(tenant.id, expected, { name, scopes });
      if (!updated) {
        if (!(await repos.apis.findById(tenant.id, expected.id))) throw unknownApi();
        throw new AdminProblem('precondition_failed', 'the API changed since you read it; read it again');
      }
      const [before, after] = [presentApi(expected), presentApi(updated)];
      await this.audit.recordIn(repos, tenant.id, { actor, action: 'admin.api.updated', target: updated.identifier, before, after });
      return updated;
    });
    await this.announce({ kind: 'apis', tenantId: tenant.id });
    return changed;
  }

  /** Returns what was deleted. The system tenant's admin API stays: without it no admin token can be issued. */
  async remove(slug: string, id: string, actor: string = LOCAL_OPERATOR): Promise<Api> {
    const tenant = await this.tenants.get(slug);
    const removed = await this.persistence.transaction(async (repos) => {
      const api = await repos.apis.findById(tenant.id, id);
      if (!api) throw unknownApi();
      if (isAdminApi(tenant, api)) throw new AdminProblem('conflict', 'the admin API of the system tenant cannot be deleted');
      const deleted = await repos.apis.delete(tenant.id, id);
      if (!deleted) throw unknownApi();
      // Consent was given to this API: one created later under the same identifier is asked for anew.
      await repos.consents.revokeForResource(tenant.id, deleted.identifier);
      await this.audit.recordIn(repos, tenant.id, {
        actor,
        action: 'admin.api.deleted',
        target: deleted.identifier,
        before: presentApi(deleted),
        after: null,
      });
      return deleted;
    });
    await this.announce({ kind: 'apis', tenantId: tenant.id });
    return removed;
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

/** RFC 6749 §3.3 scope tokens, at least one, none of them an OpenID Connect scope. */
function apiScopes(scope: string): string[] {
  const scopes = parseScope(scope);
  if (!scopes || scopes.length === 0)
    throw new AdminProblem('validation_failed', 'scope must list at least one RFC 6749 scope token', 'scope');
  const reserved = scopes.find((item) => RESERVED_SCOPES.has(item));
  if (reserved) throw new AdminProblem('validation_failed', `scope "${reserved}" is reserved for OpenID Connect`, 'scope');
  return scopes;
}

function isAdminApi(tenant: Tenant, api: Api): boolean {
  return tenant.slug === SYSTEM_TENANT && api.identifier === ADMIN_API_IDENTIFIER;
}

const unknownApi = (): AdminProblem => new AdminProblem('not_found', 'unknown API');
