import 'reflect-metadata';
import type { GatehouseConfig } from '@gatehouse/config';
import { GatehouseLogger, listen, runService, serveMetricsPort } from '@gatehouse/observability';
import { startInfrastructure } from '@gatehouse/persistence';
import { createAuthorizationApp } from './authorization.app.js';
import { serveMutualTls } from './http/mtls-listener.js';

export async function serve(config: GatehouseConfig): Promise<void> {
  const logger = new GatehouseLogger(config.log).child({ app: 'authorization' });
  config.warnings.forEach((warning) => logger.warn(warning));

  await runService(logger, async () => {
    const infrastructure = await startInfrastructure(config, logger);
    const app = await createAuthorizationApp(config, infrastructure, logger);
    const url = await listen(app, config.listenHost, config.ports.authorization, 'AUTHORIZATION_PORT');
    const mutualTls = await serveMutualTls(app, config, logger);
    const closeMetrics = await serveMetricsPort(infrastructure, config, logger);
    logger.info(`Authorization server listening on ${url} (issuers under ${config.publicUrl}/t/{tenant})`);
    return {
      close: async () => {
        await closeMetrics();
        await mutualTls?.close();
        await app.close();
        await infrastructure.close();
      },
    };
  });
}
