import type { ReadinessCheck, ReadinessReport } from '@gatehouse/observability';
import { siemSinkState as sinkState, type Infrastructure } from '@gatehouse/persistence';

/**
 * Readiness of the audit pipeline. None of these checks takes the worker out of rotation: a
 * backlog is reported, a tenant's failing SIEM sink or a Redis that may evict keys (BullMQ then
 * loses jobs) is degraded.
 */
export function auditReadinessChecks(infrastructure: Infrastructure): ReadinessCheck[] {
  const repos = infrastructure.persistence.repositories;
  const checks: ReadinessCheck[] = [
    {
      name: 'audit-pipeline',
      check: async () => {
        const backlog = await repos.auditOutbox.countPending();
        return { status: 'healthy', details: { outbox_unrecorded: backlog.unrecorded, outbox_undispatched: backlog.undispatched } };
      },
    },
    {
      name: 'siem-sinks',
      check: async (): Promise<ReadinessReport> => {
        const sinks = await repos.siemSinks.listAll();
        // States only: a sink's error text is its tenant's business (the admin API shows it to them).
        const states = Object.fromEntries(sinks.map((sink) => [sink.id, { state: sinkState(sink), attempts: sink.attempts }]));
        const failing = sinks.filter((sink) => sinkState(sink) === 'retrying' || sinkState(sink) === 'dead-lettering');
        if (failing.length === 0) return { status: 'healthy', details: { sinks: states } };
        return {
          status: 'degraded',
          error: failing.map((sink) => `SIEM sink ${sink.id} is ${sinkState(sink)}`).join('; '),
          details: { sinks: states },
        };
      },
    },
  ];
  const redis = infrastructure.redis;
  if (redis) {
    checks.push({
      name: 'redis-eviction-policy',
      check: async (): Promise<ReadinessReport> => {
        // Managed Redis services often disable CONFIG: that is no reason to leave rotation.
        const reply = (await redis.client.config('GET', 'maxmemory-policy').catch(() => null)) as string[] | null;
        const policy = reply?.[1];
        if (!policy)
          return {
            status: 'degraded',
            error: 'Redis maxmemory-policy could not be read: make sure it is noeviction or BullMQ may lose audit jobs',
          };
        return policy !== 'noeviction'
          ? { status: 'degraded', error: `Redis maxmemory-policy is ${policy}: set it to noeviction or BullMQ may lose audit jobs` }
          : { status: 'healthy' };
      },
    });
  }
  return checks;
}
