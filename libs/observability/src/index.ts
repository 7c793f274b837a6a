export { GatehouseLogger, type LoggerOptions } from './logger.js';
export { redact } from './redact.js';
export { scrub, scrubUrl } from './scrub.js';
export { requestNotes, type RequestNotes } from './request-log.js';
export { HEALTH_SCHEMA, HealthModule, READINESS_CHECKS } from './health.module.js';
export {
  evaluateHealth,
  type CheckResult,
  type HealthResponse,
  type HealthStatus,
  type ReadinessCheck,
  type ReadinessReport,
} from './health-check.js';
export { createHttpApp, listen } from './http-app.js';
export { tlsCertificateReadiness } from './tls-certificate.readiness.js';
export { listenFailure } from './listen-failure.js';
export { onShutdown } from './shutdown.js';
export { runService, type RunningService } from './run-service.js';
export * from './metrics/index.js';
export { batchCaller, inBatchSpan, type BatchCaller } from './tracing/batch-spans.js';
