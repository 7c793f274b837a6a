import 'reflect-metadata';
import type { GatehouseConfig } from '@gatehouse/config';
import { GatehouseLogger, listen, runService, serveMetricsPort } from '@gatehouse/observability';
import { startInfrastructure } from '@gatehouse/persistence';
import { createAdminApp } from './admin.app.js';
import { adminServicesOf } from './admin-services.js';
import { announceBootstrap } from './platform/announce-bootstrap.js';
import { bootstrapPlatform } from './platform/platform-bootstrap.js';

export async function serve(config: GatehouseConfig): Promise<void> {
  const logger = new GatehouseLogger(config.log).child({ app: 'admin' });
  config.warnings.forEach((warning) => logger.warn(warning));

  await runService(logger, async () => {
    const infrastructure = await startInfrastructure(config, logger);
    const app = await createAdminApp(config, infrastructure, logger);
    // The first start's bootstrap uses the app's own services: one set per process.
    const services = adminServicesOf(app);
    announceBootstrap(await bootstrapPlatform(config, infrastructure.persistence, services.tenants, services.users));
    const closeMetrics = await serveMetricsPort(infrastructure, config, logger);
    logger.info(`Admin API listening on ${await listen(app, config.listenHost, config.ports.admin, 'ADMIN_PORT')}`);
    return {
      close: async () => {
        await closeMetrics();
        await app.close();
        await infrastructure.close();
      },
    };
  });
}
