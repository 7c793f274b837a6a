import type { AuditRecord } from '../audit-record.js';

/**
 * A sink refused or could not take a batch. `retryable` tells the exporter whether to try again
 * with backoff (network, 5xx, 429, no acknowledgement yet) or to dead-letter now (bad token,
 * malformed request, certificate refused): retrying those cannot succeed until someone acts.
 * Messages never contain the token or the secret.
 */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';

  constructor(
    message: string,
    readonly retryable: boolean,
    /** The HTTP status, when the receiver answered. */
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** One sink endpoint. Resolves once the receiver has taken every record (acknowledged, where the protocol can). */
export interface SiemTransport {
  deliver(records: readonly AuditRecord[]): Promise<void>;
}
