import type { GatehouseConfig, MetricsConfig } from '@gatehouse/config';
import { GatehouseMetrics } from './gatehouse-metrics.js';
import { startMetricsListener } from './metrics-endpoint.js';

const byScope = new WeakMap<object, GatehouseMetrics>();

/**
 * The metrics of one deployment in this process, keyed by what the apps share (their
 * infrastructure): the one-process mode lists all three apps in one /metrics, while tests
 * that start apps on separate infrastructures get separate registries.
 */
export function sharedMetrics(scope: object, config: MetricsConfig): GatehouseMetrics {
  let metrics = byScope.get(scope);
  if (!metrics) {
    metrics = new GatehouseMetrics(config.tenantLabelCap);
    byScope.set(scope, metrics);
  }
  return metrics;
}

/** An entry point's METRICS_PORT listener for its deployment's metrics, if configured; returns how to close it. */
export async function serveMetricsPort(
  scope: object,
  config: GatehouseConfig,
  log: { info(message: string): void },
): Promise<() => Promise<void>> {
  const listener = await startMetricsListener(sharedMetrics(scope, config.metrics), config.metrics, config.listenHost);
  if (!listener) return () => Promise.resolve();
  log.info(`Metrics on ${listener.url}`);
  return () => listener.close();
}
