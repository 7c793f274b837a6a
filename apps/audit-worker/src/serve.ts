import 'reflect-metadata';
import type { GatehouseConfig } from '@gatehouse/config';
import { GatehouseLogger, listen, runService, serveMetricsPort } from '@gatehouse/observability';
import { startInfrastructure } from '@gatehouse/persistence';
import { createAuditWorkerApp } from './audit-worker.app.js';

export async function serve(config: GatehouseConfig): Promise<void> {
  const logger = new GatehouseLogger(config.log).child({ app: 'audit-worker' });
  config.warnings.forEach((warning) => logger.warn(warning));

  await runService(logger, async () => {
    const infrastructure = await startInfrastructure(config, logger);
    const app = await createAuditWorkerApp(config, infrastructure, logger);
    const closeMetrics = await serveMetricsPort(infrastructure, config, logger);
    logger.info(`Audit worker health on ${await listen(app, config.listenHost, config.ports.worker, 'WORKER_PORT')}`);
    return {
      close: async () => {
        await closeMetrics();
        await app.close();
        await infrastructure.close();
      },
    };
  });
}
