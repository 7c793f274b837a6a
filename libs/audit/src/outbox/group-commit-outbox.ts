import type { AuditEvent, AuditOutbox } from '../audit-event.js';

/** One outbox entry: an event and the tenant it belongs to. */
export interface OutboxEntry {
  readonly tenantId: string;
  readonly event: AuditEvent;
}

/** Writes rows durably, all or none: one multi-row INSERT that commits on its own. */
export type OutboxEntryWriter = (rows: readonly OutboxEntry[]) => Promise<void>;

export interface GroupCommitOptions {
  /** Rows in one INSERT at most (a waiter's events are never split). */
  readonly maxBatchRows?: number;
  /** INSERTs committing at once at most; further waiters gather into the next batch meanwhile. */
  readonly maxBatchesInFlight?: number;
}

interface Waiter {
  readonly rows: readonly OutboxEntry[];
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit for audit events that are not part of another transaction (docs/adr/0007).
 * Each caller awaits the commit of the batch that carries its events, so a response still
 * goes out only after its audit row is durable; but the requests that arrive while earlier
 * batches commit share one INSERT and one commit instead of taking a connection each.
 * With nothing in flight a row is written at once: no timer, no added latency when idle.
 * A failed batch fails every one of its waiters (each answers server_error, issues nothing).
 */
export class GroupCommitOutbox implements AuditOutbox {
  private readonly maxBatchRows: number;
  private readonly maxBatchesInFlight: number;
  private waiting: Waiter[] = [];
  private inFlight = 0;

  constructor(
    private readonly write: OutboxEntryWriter,
    options: GroupCommitOptions = {},
  ) {
    this.maxBatchRows = options.maxBatchRows ?? 500;
    this.maxBatchesInFlight = options.maxBatchesInFlight ?? 2;
  }

  append(tenantId: string, events: readonly AuditEvent[]): Promise<void> {
    if (events.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ rows: events.map((event) => ({ tenantId, event })), resolve, reject });
      this.startBatches();
    });
  }

  /** Callers waiting for a batch to start (for tests and metrics). */
  get waitingCount(): number {
    return this.waiting.length;
  }

  private startBatches(): void {
    while (this.inFlight < this.maxBatchesInFlight && this.waiting.length > 0) {
      const batch = this.takeBatch();
      this.inFlight += 1;
      const rows = batch.flatMap((waiter) => waiter.rows);
      void Promise.resolve()
        .then(() => this.write(rows))
        .then(
          () => batch.forEach((waiter) => waiter.resolve()),
          (error: unknown) => batch.forEach((waiter) => waiter.reject(error)),
        )
        .finally(() => {
          this.inFlight -= 1;
          this.startBatches();
        });
    }
  }

  private takeBatch(): Waiter[] {
    let rows = 0;
    let count = 0;
    for (const waiter of this.waiting) {
      if (count > 0 && rows + waiter.rows.length > this.maxBatchRows) break;
      rows += waiter.rows.length;
      count += 1;
    }
    return this.waiting.splice(0, count);
  }
}
