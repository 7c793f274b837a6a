import type { AuditEvent } from '@gatehouse/audit';
import type { Repositories } from '@gatehouse/persistence';
import { Injectable } from '@nestjs/common';
import { Clock, type TenantId } from '@gatehouse/protocol';

const SECRET_FIELDS = /secret|password|private|jwks|token_hash/i;

export interface AdminChange {
  readonly actor: string;
  readonly action: string;
  readonly target: string;
  readonly before: Record<string, unknown> | null;
  readonly after: Record<string, unknown> | null;
}

/** Admin changes in the audit outbox: actor, target and a before/after with secrets removed. */
@Injectable()
export class AdminAuditService {
  constructor(private readonly clock: Clock) {}

  /**
   * Writes the event with the caller's repositories: pass the transaction's repositories so the
   * change and its audit event commit (or roll back) together.
   */
  async recordIn(repos: Repositories, tenantId: TenantId, change: AdminChange): Promise<void> {
    await repos.auditOutbox.append(tenantId, [adminChangeEvent(change, this.clock.now())]);
  }
}

export function adminChangeEvent(change: AdminChange, occurredAt: Date): AuditEvent {
  return {
    type: 'admin.change',
    outcome: 'success',
    occurredAt,
    details: {
      actor: change.actor,
      action: change.action,
      target: change.target,
      before: scrub(change.before),
      after: scrub(change.after),
    },
  };
}

function scrub(value: Record<string, unknown> | null): Record<string, unknown> | null {
  if (!value) return null;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, SECRET_FIELDS.test(key) ? '[removed]' : item]));
}
