import { Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { GatehouseConfig } from '@gatehouse/config';
import { createHttpApp, HealthModule, type GatehouseLogger } from '@gatehouse/observability';
import type { Infrastructure } from '@gatehouse/persistence';

/** The OAuth 2.1 / OpenID Connect server. Protocol endpoints arrive with the authorization code flow. */
export async function createAuthorizationApp(
  config: GatehouseConfig,
  infrastructure: Infrastructure,
  logger: GatehouseLogger,
): Promise<NestFastifyApplication> {
  @Module({ imports: [HealthModule.forChecks(infrastructure.readinessChecks)] })
  class AuthorizationModule {}
  return createHttpApp(AuthorizationModule, config, logger);
}
