import type { AuditOutbox, RequestContext } from '@gatehouse/audit';
import type { GatehouseLogger } from '@gatehouse/observability';
import type { Client, Tenant } from '@gatehouse/persistence';
import { ENDPOINT_LIMITS, RateLimited, resolveRateLimitPolicy, TemporarilyUnavailable, type EndpointLimit } from '@gatehouse/protocol';
import type { CounterThrottlerStorage } from './counter-throttler-storage.js';

export interface LimitRequest {
  readonly tenant: Tenant;
  readonly client: Client;
  readonly limit: EndpointLimit;
  /** What the limit counts by besides tenant and client (an IP, a user id, a family id); never a secret. */
  readonly subject?: string | undefined;
  readonly context: RequestContext;
}

/** A counted request, to take back when it turns out to count elsewhere. */
export interface CountedHit {
  readonly key: string;
  readonly limit: EndpointLimit;
  readonly resetsAt: Date;
}

export interface RateLimitOptions {
  readonly enabled: boolean;
  readonly failClosed: boolean;
}

/**
 * The endpoint limits (docs/adr/0009): the tenant's policy with the client's overrides, counted in
 * the shared storage. Over the limit: `RateLimited` (429, Retry-After, temporarily_unavailable) and,
 * once per key and window, a `rate_limit.exceeded` audit event. The store unreachable: the request
 * goes through with a logged error, or, with RATE_LIMIT_FAIL_CLOSED, is refused with a 503.
 */
export class EndpointRateLimiter {
  private lastOutageLog = -Infinity;

  constructor(
    private readonly storage: CounterThrottlerStorage,
    private readonly audit: AuditOutbox,
    private readonly logger: GatehouseLogger,
    private readonly options: RateLimitOptions,
    private readonly now: () => Date,
    /** Told of every refused request (the rate-limited metric). */
    private readonly onRefused: (tenant: Tenant, limit: EndpointLimit) => void = () => undefined,
  ) {}

  async enforce(request: LimitRequest): Promise<CountedHit | null> {
    if (!this.options.enabled) return null;
    const { tenant, client, limit, subject } = request;
    const max = resolveRateLimitPolicy(tenant.rateLimitPolicy, client.rateLimitPolicy)[limit];
    const { windowSeconds } = ENDPOINT_LIMITS[limit];
    const key = `${tenant.id}:${client.clientId}${subject === undefined ? '' : `:${subject}`}`;
    let record;
    try {
      record = await this.storage.increment(key, windowSeconds * 1000, max, windowSeconds * 1000, limit);
    } catch (error) {
      this.logOutage(error, limit);
      if (this.options.failClosed) throw new TemporarilyUnavailable({ cause: `rate-limit store unavailable (${limit})` });
      return null;
    }
    if (!record.isBlocked) return { key, limit, resetsAt: record.resetsAt };
    // The first refusal of a window is recorded; a flood past it does not write a row per request.
    if (record.totalHits === max + 1) await this.recordExceeded(request, max, windowSeconds);
    this.onRefused(tenant, limit);
    throw new RateLimited(record.timeToBlockExpire, { cause: `over ${limit}` });
  }

  /** The request counts under another key after all (a confidential client's successful code exchange). */
  async refund(hit: CountedHit | null): Promise<void> {
    if (hit === null) return;
    try {
      await this.storage.refund(hit.key, ENDPOINT_LIMITS[hit.limit].windowSeconds * 1000, hit.limit, hit.resetsAt);
    } catch (error) {
      this.logger.error('Rate-limit store unavailable; a hit was not taken back', { err: error, limit: hit.limit });
    }
  }

  /** At most one line per 10 s: an outage must not turn every request into a log line. */
  private logOutage(error: unknown, limit: EndpointLimit): void {
    const now = this.now().getTime();
    if (now - this.lastOutageLog < OUTAGE_LOG_INTERVAL_MS) return;
    this.lastOutageLog = now;
    const outcome = this.options.failClosed ? 'requests refused' : 'requests allowed';
    this.logger.error(`Rate-limit store unavailable; ${outcome} (RATE_LIMIT_FAIL_CLOSED=${this.options.failClosed})`, {
      err: error,
      limit,
    });
  }

  private async recordExceeded(request: LimitRequest, max: number, windowSeconds: number): Promise<void> {
    const { tenant, client, limit, context } = request;
    try {
      await this.audit.append(tenant.id, [
        {
          type: 'rate_limit.exceeded',
          outcome: 'failure',
          occurredAt: this.now(),
          clientId: client.clientId,
          errorCode: 'temporarily_unavailable',
          ...context,
          details: { limit: limitLabel(limit), key_kind: ENDPOINT_LIMITS[limit].keyKind, max, window_seconds: windowSeconds },
        },
      ]);
    } catch (error) {
      this.logger.error('The rate_limit.exceeded audit event could not be written', { err: error, limit });
    }
  }
}

const OUTAGE_LOG_INTERVAL_MS = 10_000;

/** A limit's name as audit events and the rate-limited metric write it: token_requests_per_client_per_minute. */
export const limitLabel = (limit: EndpointLimit): string => limit.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
