export { GatehouseMetrics } from './gatehouse-metrics.js';
export { endpointName } from './endpoint-name.js';
export type { MetricReadings, OutboxReading, QueueReading, SigningKeyReading } from './metric-readings.js';
export { exposeMetrics, startMetricsListener, METRICS_PATH, type MetricsListener } from './metrics-endpoint.js';
export { serveMetricsPort, sharedMetrics } from './shared-metrics.js';
export { NO_TENANT, OTHER_TENANT, TenantLabel } from './tenant-label.js';
