import { Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { GatehouseConfig } from '@gatehouse/config';
import { createHttpApp, HealthModule, type GatehouseLogger } from '@gatehouse/observability';
import type { Infrastructure } from '@gatehouse/persistence';

/** The audit worker's HTTP side: health (and metrics) on WORKER_PORT; the queue processors join it with the audit pipeline. */
export async function createAuditWorkerApp(
  config: GatehouseConfig,
  infrastructure: Infrastructure,
  logger: GatehouseLogger,
): Promise<NestFastifyApplication> {
  @Module({ imports: [HealthModule.forChecks(infrastructure.readinessChecks)] })
  class AuditWorkerModule {}
  return createHttpApp(AuditWorkerModule, config, logger);
}
