import type { GatehouseLogger } from './logger.js';
import { onShutdown } from './shutdown.js';

export interface RunningService {
  close(): Promise<void>;
}

/**
 * The life of an entry point: start, then close on SIGINT/SIGTERM. A start-up
 * failure is one fatal log line and exit 1, never a stack trace on the console.
 */
export async function runService(logger: GatehouseLogger, start: () => Promise<RunningService>): Promise<void> {
  try {
    const service = await start();
    onShutdown(
      () => service.close(),
      (message) => logger.info(message),
    );
  } catch (error) {
    logger.fatal(`Start-up failed: ${(error as Error).message}`);
    process.exit(1);
  }
}
