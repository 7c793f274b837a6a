import { Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { GatehouseConfig } from '@gatehouse/config';
import { createHttpApp, HealthModule, type GatehouseLogger } from '@gatehouse/observability';
import type { Infrastructure } from '@gatehouse/persistence';

/** The admin REST API and security console. */
export async function createAdminApp(
  config: GatehouseConfig,
  infrastructure: Infrastructure,
  logger: GatehouseLogger,
): Promise<NestFastifyApplication> {
  @Module({ imports: [HealthModule.forChecks(infrastructure.readinessChecks)] })
  class AdminModule {}
  return createHttpApp(AdminModule, config, logger);
}
