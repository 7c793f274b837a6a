import { Module, type OnApplicationBootstrap, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SinkCredentialsSealer } from '@gatehouse/audit';
import { GATEHOUSE_CONFIG, type GatehouseConfig } from '@gatehouse/config';
import {
  createHttpApp,
  exposeMetrics,
  GatehouseLogger,
  GatehouseMetrics,
  HealthModule,
  sharedMetrics,
  type ReadinessCheck,
} from '@gatehouse/observability';
import { Persistence, type Infrastructure } from '@gatehouse/persistence';
import { Clock } from '@gatehouse/protocol';
import { sharedGeoIp } from '@gatehouse/risk';
import { BackchannelLogoutDispatcher } from './backchannel/backchannel-logout.dispatcher.js';
import { SiemExporter } from './export/siem-exporter.js';
import { AuditPipeline } from './pipeline/audit-pipeline.js';
import { AuditRecorder } from './pipeline/audit-recorder.js';
import { AuditRetention } from './pipeline/audit-retention.js';
import { EventEnricher } from './pipeline/event-enricher.js';
import { auditReadinessChecks } from './pipeline/audit-readiness.js';
import { operationalReadings } from './pipeline/operational-readings.js';

interface BackgroundService {
  start(): void;
  stop(): Promise<void> | void;
}

/** Started in this order with the app. */
const STARTED = [BackchannelLogoutDispatcher, AuditPipeline, SiemExporter, AuditRetention] as const;
/** Stopped in this order when it closes: the pipeline flushes its last batch before the exporter stops. */
const STOPPED = [AuditRetention, AuditPipeline, SiemExporter, BackchannelLogoutDispatcher] as const;

/**
 * The worker's services as Nest providers, each built from the few parts it names (the config,
 * the persistence, the clock, the logger, the metrics, one another), all on one clock.
 */
function workerProviders(config: GatehouseConfig, infrastructure: Infrastructure, logger: GatehouseLogger, clock: Clock): Provider[] {
  return [
    { provide: GATEHOUSE_CONFIG, useValue: config },
    { provide: Persistence, useValue: infrastructure.persistence },
    { provide: Clock, useValue: clock },
    { provide: GatehouseLogger, useValue: logger },
    { provide: GatehouseMetrics, useValue: sharedMetrics(infrastructure, config.metrics) },
    {
      provide: BackchannelLogoutDispatcher,
      inject: [GATEHOUSE_CONFIG, Persistence, GatehouseLogger, Clock],
      useFactory: (config: GatehouseConfig, persistence: Persistence, logger: GatehouseLogger, clock: Clock) =>
        new BackchannelLogoutDispatcher(config, persistence, logger.child({ component: 'backchannel-logout' }), { now: () => clock.now() }),
    },
    {
      provide: AuditRecorder,
      inject: [GATEHOUSE_CONFIG, Persistence, Clock],
      useFactory: (config: GatehouseConfig, persistence: Persistence, clock: Clock) =>
        new AuditRecorder(persistence, new EventEnricher(sharedGeoIp(config.geoIpDbPath)), () => clock.now()),
    },
    {
      provide: SiemExporter,
      inject: [GATEHOUSE_CONFIG, Persistence, GatehouseLogger, GatehouseMetrics, Clock],
      useFactory: (config: GatehouseConfig, persistence: Persistence, logger: GatehouseLogger, metrics: GatehouseMetrics, clock: Clock) =>
        new SiemExporter(persistence, new SinkCredentialsSealer(config.keyEncryptionKey), logger.child({ component: 'siem-export' }), {
          allowPrivateTargets: config.siemAllowPrivateTargets,
          metrics,
          now: () => clock.now(),
        }),
    },
    {
      provide: AuditPipeline,
      inject: [GATEHOUSE_CONFIG, Persistence, AuditRecorder, SiemExporter, GatehouseLogger, GatehouseMetrics, Clock],
      useFactory: (
        config: GatehouseConfig,
        persistence: Persistence,
        recorder: AuditRecorder,
        exporter: SiemExporter,
        logger: GatehouseLogger,
        metrics: GatehouseMetrics,
        clock: Clock,
      ) => {
        const now = () => clock.now();
        const pipeline = new AuditPipeline(
          config,
          persistence,
          recorder,
          logger.child({ component: 'audit-pipeline' }),
          () => exporter.wake(),
          { now },
        );
        metrics.read(operationalReadings(persistence, pipeline, now));
        return pipeline;
      },
    },
    {
      provide: AuditRetention,
      inject: [Persistence, GatehouseLogger, Clock],
      useFactory: (persistence: Persistence, logger: GatehouseLogger, clock: Clock) =>
        new AuditRetention(persistence, logger.child({ component: 'audit-retention' }), () => clock.now()),
    },
  ];
}

/**
 * The audit worker: health (readiness reports the queue's Redis, the outbox backlog and each
 * SIEM sink) on WORKER_PORT, the audit pipeline, SIEM export and back-channel logout deliveries.
 */
export async function createAuditWorkerApp(
  config: GatehouseConfig,
  infrastructure: Infrastructure,
  logger: GatehouseLogger,
  { clock = new Clock() }: { readonly clock?: Clock } = {},
): Promise<NestFastifyApplication> {
  const checks: ReadinessCheck[] = [...infrastructure.readinessChecks, ...auditReadinessChecks(infrastructure)];

  @Module({
    imports: [HealthModule.forChecks(checks)],
    providers: workerProviders(config, infrastructure, logger, clock),
  })
  class AuditWorkerModule implements OnApplicationBootstrap, OnApplicationShutdown {
    constructor(private readonly moduleRef: ModuleRef) {}

    onApplicationBootstrap(): void {
      for (const type of STARTED) this.moduleRef.get<BackgroundService>(type).start();
    }

    async onApplicationShutdown(): Promise<void> {
      for (const type of STOPPED) await this.moduleRef.get<BackgroundService>(type).stop();
    }
  }
  const app = await createHttpApp(AuditWorkerModule, config, logger);
  exposeMetrics(app, app.get(GatehouseMetrics), config.metrics);
  return app;
}
