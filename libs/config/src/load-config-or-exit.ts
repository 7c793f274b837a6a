import { ConfigError } from './config-error.js';
import type { GatehouseConfig } from './config.types.js';
import { withEnvFile } from './env-file.js';
import { loadConfig } from './load-config.js';

/**
 * For process entry points: the environment over `.env` (env-file.ts); a bad value stops start-up
 * with one line per variable, no stack trace.
 */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): GatehouseConfig {
  try {
    return loadConfig(withEnvFile(env));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.problems.map((problem) => `Configuration error: ${problem}`).join('\n')}\n`);
    process.exit(1);
  }
}
