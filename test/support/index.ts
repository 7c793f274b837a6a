export {
  databaseTargets,
  createScratchPostgres,
  isForeignKeyViolation,
  isolatedAppTargets,
  isolatedTargets,
  openEmbeddedMigrated,
  ownPostgresDatabase,
  type OwnDatabase,
  uniqueSlug,
  type DatabaseTargetCase,
  type IsolatedTarget,
} from './database-targets.js';
export { holdEmbeddedDatabase, runCli } from './cli.js';
export { ENTRY_POINTS, runCliProcess, startProcess, type CliRun, type RunningProcess } from './processes.js';
export { processEnv, scratchDataDir, testConfig } from './environments.js';
export { assertHealthShape, checkNamed, describeHealth, type HealthBody, type HealthCheckBody } from './health-suite.js';
export { freePort } from './free-port.js';
export { seededRandom } from './seeded-random.js';
export { TestBrowser, readForm } from './browser.js';
export { startAuthorizationServer, type RunningAuthorizationServer } from './authorization-server.js';
export { recordingAuthorizationServer, type RecordingAuthorizationServer } from './recording-authorization-server.js';
export { createBackchannelDispatcher } from './backchannel-dispatcher.js';
export { metricsText, scrape, valueOf, PROMETHEUS_TEXT } from './metrics-scrape.js';
