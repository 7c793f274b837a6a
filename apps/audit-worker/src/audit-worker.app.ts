import { Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SinkCredentialsSealer } from '@gatehouse/audit';
import type { GatehouseConfig } from '@gatehouse/config';
import {
  createHttpApp,
  exposeMetrics,
  HealthModule,
  sharedMetrics,
  type GatehouseLogger,
  type ReadinessCheck,
} from '@gatehouse/observability';
import type { Infrastructure } from '@gatehouse/persistence';
import { sharedGeoIp } from '@gatehouse/risk';
import { BackchannelLogoutDispatcher } from './backchannel/backchannel-logout.dispatcher.js';
import { SiemExporter } from './export/siem-exporter.js';
import { AuditPipeline } from './pipeline/audit-pipeline.js';
import { AuditRecorder } from './pipeline/audit-recorder.js';
import { AuditRetention } from './pipeline/audit-retention.js';
import { EventEnricher } from './pipeline/event-enricher.js';
import { auditReadinessChecks } from './pipeline/audit-readiness.js';
import { operationalReadings } from './pipeline/operational-readings.js';

/** Everything the worker runs in the background, all on one clock; started with the app and stopped when it closes. */
export class AuditWorkerServices {
  readonly backchannel: BackchannelLogoutDispatcher;
  readonly recorder: AuditRecorder;
  readonly exporter: SiemExporter;
  readonly pipeline: AuditPipeline;
  readonly retention: AuditRetention;

  constructor(
    config: GatehouseConfig,
    infrastructure: Infrastructure,
    logger: GatehouseLogger,
    { now = () => new Date() }: { readonly now?: () => Date } = {},
  ) {
    const persistence = infrastructure.persistence;
    const metrics = sharedMetrics(infrastructure, config.metrics);
    this.backchannel = new BackchannelLogoutDispatcher(config, persistence, logger.child({ component: 'backchannel-logout' }), { now });
    const geoIp = sharedGeoIp(config.geoIpDbPath);
    this.recorder = new AuditRecorder(persistence, new EventEnricher(geoIp), now);
    this.exporter = new SiemExporter(
      persistence,
      new SinkCredentialsSealer(config.keyEncryptionKey),
      logger.child({ component: 'siem-export' }),
      { allowPrivateTargets: config.siemAllowPrivateTargets, metrics, now },
    );
    this.pipeline = new AuditPipeline(config, persistence, this.recorder, logger.child({ component: 'audit-pipeline' }), () =>
      this.exporter.wake(),
    );
    this.retention = new AuditRetention(persistence, logger.child({ component: 'audit-retention' }), now);
    metrics.read(operationalReadings(persistence, this.pipeline));
  }

  start(): void {
    this.backchannel.start();
    this.pipeline.start();
    this.exporter.start();
    this.retention.start();
  }

  async stop(): Promise<void> {
    this.retention.stop();
    await this.pipeline.stop();
    await this.exporter.stop();
    await this.backchannel.stop();
  }
}

/**
 * The audit worker: health (readiness reports the queue's Redis, the outbox backlog and each
 * SIEM sink) on WORKER_PORT, the audit pipeline, SIEM export and back-channel logout deliveries.
 */
export async function createAuditWorkerApp(
  config: GatehouseConfig,
  infrastructure: Infrastructure,
  logger: GatehouseLogger,
  services: AuditWorkerServices = new AuditWorkerServices(config, infrastructure, logger),
): Promise<NestFastifyApplication> {
  const checks: ReadinessCheck[] = [...infrastructure.readinessChecks, ...auditReadinessChecks(infrastructure)];

  @Module({
    imports: [HealthModule.forChecks(checks)],
    providers: [{ provide: AuditWorkerServices, useValue: services }],
  })
  class AuditWorkerModule implements OnApplicationBootstrap, OnApplicationShutdown {
    constructor(@Inject(AuditWorkerServices) private readonly background: AuditWorkerServices) {}

    onApplicationBootstrap(): void {
      this.background.start();
    }

    onApplicationShutdown(): Promise<void> {
      return this.background.stop();
    }
  }
  const app = await createHttpApp(AuditWorkerModule, config, logger);
  exposeMetrics(app, sharedMetrics(infrastructure, config.metrics), config.metrics);
  return app;
}
