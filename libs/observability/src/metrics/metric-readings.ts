/** What the gauges read on scrape; each app supplies the readings it can take. */
export interface OutboxReading {
  /** Events in the outbox not yet handled. */
  readonly depth: number;
  /** Age in seconds of the oldest of them (0 when empty). */
  readonly lagSeconds: number;
}

export interface QueueReading {
  readonly queue: string;
  readonly state: 'waiting' | 'active' | 'delayed' | 'failed';
  readonly count: number;
}

export interface SigningKeyReading {
  readonly tenantSlug: string;
  /** Age in seconds of the tenant's active signing key. */
  readonly ageSeconds: number;
  /** Seconds until it expires, when it has an expiry. */
  readonly expiresInSeconds: number | undefined;
}

export interface MetricReadings {
  outbox?: () => Promise<OutboxReading>;
  queues?: () => Promise<readonly QueueReading[]>;
  signingKeys?: () => Promise<readonly SigningKeyReading[]>;
}
