export { loadConfig } from './load-config.js';
export { ConfigError } from './config-error.js';
export { isCidr } from './cidr.js';
export type { DatabaseConfig, GatehouseConfig, LogLevel, MetricsConfig } from './config.types.js';
export { loadConfigOrExit } from './load-config-or-exit.js';
export { withEnvFile } from './env-file.js';
export { recordServerSettings, withServerSettings } from './server-settings.js';
export { ensurePrivateDir, tightenTree, writePrivateFile, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './private-files.js';
/** Injection token of the validated configuration (`GatehouseConfig`), for the providers that read settings. */
export const GATEHOUSE_CONFIG = Symbol('GATEHOUSE_CONFIG');
