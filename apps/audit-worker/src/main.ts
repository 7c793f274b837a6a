import 'reflect-metadata';
import { loadConfigOrExit } from '@gatehouse/config';
import { GatehouseLogger, listen, onShutdown } from '@gatehouse/observability';
import { startInfrastructure } from '@gatehouse/persistence';
import { createAuditWorkerApp } from './audit-worker.app.js';

const config = loadConfigOrExit();
const logger = new GatehouseLogger(config.log).child({ app: 'audit-worker' });
config.warnings.forEach((warning) => logger.warn(warning));
try {
  const infrastructure = await startInfrastructure(config, logger);
  const app = await createAuditWorkerApp(config, infrastructure, logger);
  logger.info(`Audit worker health on ${await listen(app, config.listenHost, config.ports.worker)}`);
  onShutdown(
    async () => {
      await app.close();
      await infrastructure.close();
    },
    (message) => logger.info(message),
  );
} catch (error) {
  logger.fatal(`Start-up failed: ${(error as Error).message}`);
  process.exit(1);
}
