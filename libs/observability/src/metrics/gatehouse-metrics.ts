import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { CachedProbe } from './cached-probe.js';
import { endpointName } from './endpoint-name.js';
import type { MetricReadings, SigningKeyReading } from './metric-readings.js';
import { TenantLabel } from './tenant-label.js';

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const RISK_BUCKETS = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100];

/**
 * Every metric Gatehouse exposes, on a registry of its own (not prom-client's global one, so
 * several apps in one test process never collide). The README lists them; label values are
 * bounded: tenants through TenantLabel, the rest from fixed sets in the code.
 */
export class GatehouseMetrics {
  readonly registry = new Registry();
  readonly tenants: TenantLabel;

  readonly authorizationRequests = new Counter({
    name: 'oauth_authorization_requests_total',
    help: 'Authorization requests that reached a valid client and redirect URI',
    labelNames: ['tenant'] as const,
    registers: [this.registry],
  });
  readonly tokenExchanges = new Counter({
    name: 'oauth_token_exchanges_total',
    help: 'Tokens issued at the token endpoint, by grant type',
    labelNames: ['tenant', 'grant_type'] as const,
    registers: [this.registry],
  });
  readonly tokenValidations = new Counter({
    name: 'oauth_token_validations_total',
    help: 'Access tokens validated (introspection, userinfo, resource servers), by result: valid or invalid',
    labelNames: ['tenant', 'validator', 'result'] as const,
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: 'oauth_errors_total',
    help: 'OAuth error responses, by endpoint and error code',
    labelNames: ['tenant', 'endpoint', 'error'] as const,
    registers: [this.registry],
  });
  readonly requestDuration = new Histogram({
    name: 'oauth_request_duration_seconds',
    help: 'HTTP request duration, by endpoint (the route, never the raw path)',
    labelNames: ['tenant', 'endpoint'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });
  readonly loginOutcomes = new Counter({
    name: 'gatehouse_login_outcomes_total',
    help: 'Password sign-in attempts, by outcome',
    labelNames: ['tenant', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly rateLimited = new Counter({
    name: 'gatehouse_rate_limited_requests_total',
    help: 'Requests refused by a rate limit, by limit',
    labelNames: ['tenant', 'limit'] as const,
    registers: [this.registry],
  });
  readonly riskScore = new Histogram({
    name: 'gatehouse_login_risk_score',
    help: 'Risk score (0-100) of sign-ins as assessed while the user waits',
    labelNames: ['tenant'] as const,
    buckets: RISK_BUCKETS,
    registers: [this.registry],
  });
  readonly siemDeliveries = new Counter({
    name: 'gatehouse_siem_deliveries_total',
    help: 'Batches of audit records delivered to SIEM sinks (dead-letter replays included), by sink type',
    labelNames: ['sink_type'] as const,
    registers: [this.registry],
  });
  readonly siemFailures = new Counter({
    name: 'gatehouse_siem_delivery_failures_total',
    help: 'Failed SIEM delivery attempts (batches), by sink type',
    labelNames: ['sink_type'] as const,
    registers: [this.registry],
  });
  readonly siemDeadLetters = new Counter({
    name: 'gatehouse_siem_dead_letters_total',
    help: 'Audit records dead-lettered after the last delivery attempt, by sink type',
    labelNames: ['sink_type'] as const,
    registers: [this.registry],
  });

  private readingsSupplied = false;

  constructor(tenantLabelCap: number) {
    this.tenants = new TenantLabel(tenantLabelCap);
    collectDefaultMetrics({ register: this.registry });
  }

  /** oauth_errors_total for an error response to a route, the tenant taken from its path. */
  countError(route: string | undefined, tenantSlug: string | undefined, error: string): void {
    this.errors.inc({ tenant: this.tenants.peek(tenantSlug), endpoint: endpointName(route), error });
  }

  /**
   * The gauges read on a scrape, from the app that can take the readings (the worker): they
   * exist only there, so no other app reports a misleading 0. Once per registry.
   */
  read(readings: MetricReadings): void {
    if (this.readingsSupplied) return;
    this.readingsSupplied = true;
    const registers = [this.registry];
    const tenants = this.tenants;
    if (readings.outbox) {
      const outbox = new CachedProbe(readings.outbox);
      new Gauge({
        name: 'gatehouse_audit_outbox_depth',
        help: 'Audit events waiting in the outbox',
        registers,
        async collect() {
          const reading = await outbox.value();
          if (reading) this.set(reading.depth);
        },
      });
      new Gauge({
        name: 'gatehouse_audit_outbox_lag_seconds',
        help: 'Age of the oldest audit event waiting in the outbox (0 when drained)',
        registers,
        async collect() {
          const reading = await outbox.value();
          if (reading) this.set(reading.lagSeconds);
        },
      });
    }
    if (readings.queues) {
      const queues = new CachedProbe(readings.queues);
      new Gauge({
        name: 'gatehouse_queue_depth',
        help: 'Jobs in the audit queue, by queue and state (absent without Redis)',
        labelNames: ['queue', 'state'] as const,
        registers,
        async collect() {
          for (const reading of (await queues.value()) ?? []) this.set({ queue: reading.queue, state: reading.state }, reading.count);
        },
      });
    }
    if (readings.signingKeys) {
      const keys = new CachedProbe(readings.signingKeys);
      new Gauge({
        name: 'gatehouse_signing_key_age_seconds',
        help: "Age of each tenant's oldest active signing key",
        labelNames: ['tenant'] as const,
        registers,
        async collect() {
          this.reset();
          // Tenants folded into `other` share a series: the oldest key speaks for them.
          for (const [tenant, age] of perTenant(tenants, (await keys.value()) ?? [], (key) => key.ageSeconds, Math.max)) {
            this.set({ tenant }, age);
          }
        },
      });
      new Gauge({
        name: 'gatehouse_signing_key_expires_in_seconds',
        help: "Seconds until each tenant's first active signing key with an expiry expires",
        labelNames: ['tenant'] as const,
        registers,
        async collect() {
          this.reset();
          for (const [tenant, seconds] of perTenant(tenants, (await keys.value()) ?? [], (key) => key.expiresInSeconds, Math.min)) {
            this.set({ tenant }, seconds);
          }
        },
      });
    }
  }
}

function perTenant(
  tenants: TenantLabel,
  keys: readonly SigningKeyReading[],
  value: (key: SigningKeyReading) => number | undefined,
  pick: (a: number, b: number) => number,
): Map<string, number> {
  const byLabel = new Map<string, number>();
  for (const key of keys) {
    const v = value(key);
    if (v === undefined) continue;
    const label = tenants.of(key.tenantSlug);
    const seen = byLabel.get(label);
    byLabel.set(label, seen === undefined ? v : pick(seen, v));
  }
  return byLabel;
}
