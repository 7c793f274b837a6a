import type { MetricReadings } from '@gatehouse/observability';
import type { Persistence } from '@gatehouse/persistence';
import type { AuditPipeline } from './audit-pipeline.js';

/** What the worker's gauges read on a scrape (cached a few seconds by the metrics lib). */
export function operationalReadings(persistence: Persistence, pipeline: AuditPipeline, now: () => Date = () => new Date()): MetricReadings {
  const readings = persistence.repositories.operationalReadings;
  return {
    outbox: async () => {
      const backlog = await readings.outboxBacklog();
      const lagMs = backlog.oldestOccurredAt ? now().getTime() - backlog.oldestOccurredAt.getTime() : 0;
      return { depth: backlog.depth, lagSeconds: Math.max(0, lagMs / 1000) };
    },
    queues: () => pipeline.queueDepth(),
    signingKeys: async () => {
      const at = now();
      return (await readings.activeSigningKeys(at)).map((key) => ({
        tenantSlug: key.tenantSlug,
        ageSeconds: Math.max(0, (at.getTime() - key.activeSince.getTime()) / 1000),
        expiresInSeconds: key.expiresAt ? (key.expiresAt.getTime() - at.getTime()) / 1000 : undefined,
      }));
    },
  };
}
