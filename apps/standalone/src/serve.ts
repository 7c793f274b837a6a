/**
 * `npm start`: the three apps in one process on one shared infrastructure: the
 * embedded database (or DATABASE_URL) and Redis or in-process stores. This entry
 * point is the composition root, the one place allowed to import the apps.
 */
import 'reflect-metadata';
import { recordServerSettings, type GatehouseConfig } from '@gatehouse/config';
import { GatehouseLogger, listen, runService, serveMetricsPort } from '@gatehouse/observability';
import { startInfrastructure } from '@gatehouse/persistence';
import { adminServicesOf, announceBootstrap, bootstrapPlatform, createAdminApp } from '../../admin/src/index.js';
import { createAuditWorkerApp } from '../../audit-worker/src/index.js';
import { createAuthorizationApp, serveMutualTls } from '../../authorization/src/index.js';
import { startBanner } from './start-banner.js';

export async function serve(config: GatehouseConfig): Promise<void> {
  const logger = new GatehouseLogger(config.log);
  config.warnings.forEach((warning) => logger.warn(warning));

  await runService(logger, async () => {
    const infrastructure = await startInfrastructure(config, logger);
    const admin = await createAdminApp(config, infrastructure, logger);
    // The first start's bootstrap uses the admin app's own services: one set per process.
    const services = adminServicesOf(admin);
    announceBootstrap(await bootstrapPlatform(config, infrastructure.persistence, services.tenants, services.users));

    const authorization = await createAuthorizationApp(config, infrastructure, logger);
    const worker = await createAuditWorkerApp(config, infrastructure, logger);
    const urls = {
      authorization: await listen(authorization, config.listenHost, config.ports.authorization, 'AUTHORIZATION_PORT'),
      admin: await listen(admin, config.listenHost, config.ports.admin, 'ADMIN_PORT'),
      worker: await listen(worker, config.listenHost, config.ports.worker, 'WORKER_PORT'),
    };
    // One process, one registry: the three apps' metrics together, on each port or on METRICS_PORT.
    const mutualTls = await serveMutualTls(authorization, config, logger);
    const closeMetrics = await serveMetricsPort(infrastructure, config, logger);
    recordServerSettings(config);
    process.stdout.write(startBanner(config.publicUrl, urls));
    return {
      close: async () => {
        await closeMetrics();
        await mutualTls?.close();
        await Promise.all([authorization.close(), admin.close(), worker.close()]);
        await infrastructure.close();
      },
    };
  });
}
