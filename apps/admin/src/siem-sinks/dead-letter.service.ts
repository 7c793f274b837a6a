import { Clock } from '@gatehouse/protocol';
import { Injectable } from '@nestjs/common';
import { Persistence, type SiemDeadLetter, type Tenant } from '@gatehouse/persistence';
import { AdminAuditService } from '../audit/admin-audit.service.js';
import { AdminProblem } from '../errors/admin-problem.js';
import { LOCAL_OPERATOR, TenantService } from '../tenants/tenant.service.js';
import type { CreatedPosition } from './siem-cursor.js';

/** Records a tenant's sinks gave up on, and asking the exporter to send them again. */
@Injectable()
export class DeadLetterService {
  constructor(
    private readonly persistence: Persistence,
    private readonly tenants: TenantService,
    private readonly audit: AdminAuditService,
    private readonly clock: Clock,
  ) {}

  /** Undelivered, oldest first; `sinkId` (one of this tenant's sinks, else 404) narrows them to one sink. */
  async listPending(slug: string, sinkId: string | null, position: CreatedPosition | null, limit: number): Promise<SiemDeadLetter[]> {
    const tenant = await this.tenants.get(slug);
    if (sinkId !== null) await this.requireSink(tenant, sinkId);
    return this.persistence.repositories.siemDeadLetters.listPending(tenant.id, sinkId, position, limit);
  }

  /** Marks every pending dead letter (of one sink, or all) for the exporter to re-send; returns how many. */
  async replay(slug: string, sinkId: string | null, actor: string = LOCAL_OPERATOR): Promise<number> {
    const tenant = await this.tenants.get(slug);
    if (sinkId !== null) await this.requireSink(tenant, sinkId);
    return this.persistence.transaction(async (repos) => {
      const replayed = await repos.siemDeadLetters.requestReplay(tenant.id, sinkId, this.clock.now());
      await this.audit.recordIn(repos, tenant.id, {
        actor,
        action: 'admin.siem_dead_letters.replay_requested',
        target: sinkId ?? 'all-sinks',
        before: null,
        after: { sink: sinkId, replayed },
      });
      return replayed;
    });
  }

  /** A sink of another tenant is as unknown as one that does not exist. */
  private async requireSink(tenant: Tenant, sinkId: string): Promise<void> {
    if (!(await this.persistence.repositories.siemSinks.find(tenant.id, sinkId)))
      throw new AdminProblem('not_found', `unknown SIEM sink "${sinkId.slice(0, 64)}"`);
  }
}
