import type { ReadinessCheck } from '@gatehouse/observability';
import { siemSinkState as sinkState, type Infrastructure } from '@gatehouse/persistence';

/**
 * Readiness details of the audit pipeline. None of them takes the worker out of rotation:
 * a tenant's failing SIEM or a backlog is reported, not fatal. Redis's eviction policy is a
 * warning because BullMQ loses jobs when Redis evicts keys.
 */
export function auditReadinessChecks(infrastructure: Infrastructure): ReadinessCheck[] {
  const repos = infrastructure.persistence.repositories;
  const checks: ReadinessCheck[] = [
    {
      name: 'audit-pipeline',
      check: async () => {
        const backlog = await repos.auditOutbox.countPending();
        const sinks = await repos.siemSinks.listAll();
        const sinkStates = Object.fromEntries(
          sinks.map((sink) => [
            sink.id,
            // States only: a sink's error text is its tenant's business (the admin API shows it to them).
            { state: sinkState(sink), attempts: sink.attempts },
          ]),
        );
        const failing = sinks.filter((sink) => sinkState(sink) !== 'healthy');
        return {
          details: { outbox_unrecorded: backlog.unrecorded, outbox_undispatched: backlog.undispatched, sinks: sinkStates },
          ...(failing.length > 0 ? { warnings: failing.map((sink) => `SIEM sink ${sink.id} is ${sinkState(sink)}`) } : {}),
        };
      },
    },
  ];
  const redis = infrastructure.redis;
  if (redis) {
    checks.push({
      name: 'redis-eviction-policy',
      check: async () => {
        // Managed Redis services often disable CONFIG: that is no reason to leave rotation.
        const reply = (await redis.client.config('GET', 'maxmemory-policy').catch(() => null)) as string[] | null;
        const policy = reply?.[1];
        if (!policy)
          return { warnings: ['Redis maxmemory-policy could not be read: make sure it is noeviction or BullMQ may lose audit jobs'] };
        return policy !== 'noeviction'
          ? { warnings: [`Redis maxmemory-policy is ${policy}: set it to noeviction or BullMQ may lose audit jobs`] }
          : {};
      },
    });
  }
  return checks;
}
