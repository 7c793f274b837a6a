import { Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { GatehouseConfig } from '@gatehouse/config';
import { createHttpApp, HealthModule, type GatehouseLogger } from '@gatehouse/observability';
import type { Infrastructure } from '@gatehouse/persistence';
import { BackchannelLogoutDispatcher } from './backchannel/backchannel-logout.dispatcher.js';

/**
 * The audit worker: health (and metrics) on WORKER_PORT, and the back-channel logout
 * deliveries, which start with the app and stop when it closes.
 */
export async function createAuditWorkerApp(
  config: GatehouseConfig,
  infrastructure: Infrastructure,
  logger: GatehouseLogger,
): Promise<NestFastifyApplication> {
  const dispatcher = new BackchannelLogoutDispatcher(config, infrastructure.persistence, logger.child({ component: 'backchannel-logout' }));

  @Module({
    imports: [HealthModule.forChecks(infrastructure.readinessChecks)],
    providers: [{ provide: BackchannelLogoutDispatcher, useValue: dispatcher }],
  })
  class AuditWorkerModule implements OnApplicationBootstrap, OnApplicationShutdown {
    constructor(@Inject(BackchannelLogoutDispatcher) private readonly backchannel: BackchannelLogoutDispatcher) {}

    onApplicationBootstrap(): void {
      this.backchannel.start();
    }

    onApplicationShutdown(): Promise<void> {
      return this.backchannel.stop();
    }
  }
  return createHttpApp(AuditWorkerModule, config, logger);
}
