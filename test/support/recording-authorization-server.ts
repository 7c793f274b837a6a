import { GatehouseLogger } from '@gatehouse/observability';
import { asTenantId } from '@gatehouse/protocol';
import { LazyGeoIp, defaultGeoIpPaths } from '@gatehouse/risk';
import { AuditPipeline, AuditRecorder, EventEnricher } from '../../apps/audit-worker/src/index.js';
import { startAuthorizationServer, type RunningAuthorizationServer } from './authorization-server.js';
import { ownPostgresDatabase } from './database-targets.js';

/**
 * The authorization app with the audit worker's recorder running beside it in-process (the direct
 * consumer, no queue), for suites whose sign-ins depend on the recorded history (the login risk).
 * On a database of its own: the pipeline records every tenant's outbox it can claim, so on the run's
 * shared database other suites' sign-ins would change its users' risk, and its recording theirs.
 * Call inside a `describe` (it adds a `before` hook), then `start` in the suite's `before`; the
 * server's `close` stops the pipeline and drops the database too.
 */
export interface RecordingAuthorizationServer extends RunningAuthorizationServer {
  /** Waits until the recorder has recorded every event of the tenant so far (a recorded event leaves the outbox). */
  untilRecorded(tenantId: string): Promise<void>;
}

export function recordingAuthorizationServer(): { start(overrides?: Record<string, string>): Promise<RecordingAuthorizationServer> } {
  const database = ownPostgresDatabase();
  return {
    async start(overrides = {}) {
      const server = await startAuthorizationServer({ ...overrides, ...database.overrides() }).catch(async (error: unknown) => {
        await database.drop();
        throw error;
      });
      const { persistence } = server.infrastructure;
      const recorder = new AuditRecorder(persistence, new EventEnricher(new LazyGeoIp(defaultGeoIpPaths())));
      const silent = new GatehouseLogger({ level: 'fatal', format: 'json', write: () => undefined });
      const pipeline = new AuditPipeline({ redisUrl: undefined }, persistence, recorder, silent);
      pipeline.start();
      return {
        ...server,
        async untilRecorded(tenantId) {
          for (let waited = 0; waited < 10_000; waited += 25) {
            if ((await persistence.repositories.auditOutbox.listByTenant(asTenantId(tenantId), 1)).length === 0) return;
            await new Promise((resolve) => setTimeout(resolve, 25));
          }
          throw new Error("the recorder did not record the tenant's events within 10 s");
        },
        close: async () => {
          await pipeline.stop();
          await server.close();
          await database.drop();
        },
      };
    },
  };
}
