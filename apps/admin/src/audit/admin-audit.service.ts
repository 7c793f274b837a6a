import type { Persistence } from '@gatehouse/persistence';
import type { TenantService } from '../tenants/tenant.service.js';

const SECRET_FIELDS = /secret|password|private|jwks/i;

/** Admin changes in the audit outbox: actor, target and a before/after with secrets removed. */
export class AdminAuditService {
  constructor(
    private readonly persistence: Persistence,
    private readonly tenants: TenantService,
  ) {}

  async record(
    tenantSlug: string,
    actor: string,
    action: string,
    target: string,
    before: Record<string, unknown> | null,
    after: Record<string, unknown> | null,
  ): Promise<void> {
    const tenant = await this.tenants.get(tenantSlug);
    await this.persistence.repositories.auditOutbox.append(tenant.id, [
      {
        type: 'admin.change',
        outcome: 'success',
        occurredAt: new Date(),
        details: { actor, action, target, before: scrub(before), after: scrub(after) },
      },
    ]);
  }
}

function scrub(value: Record<string, unknown> | null): Record<string, unknown> | null {
  if (!value) return null;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, SECRET_FIELDS.test(key) ? '[removed]' : item]));
}
