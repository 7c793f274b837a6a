import type { GatehouseLogger } from '@gatehouse/observability';
import type { Persistence } from '@gatehouse/persistence';
import type { AuditRecorder, RecordedBatch } from './audit-recorder.js';
import { PollingLoop } from './polling-loop.js';

const BATCH = 500;

/**
 * Without Redis the worker reads the outbox itself: rows are claimed FOR UPDATE SKIP LOCKED
 * and recorded in the same transaction, so a crash leaves them unrecorded for the next turn.
 */
export class OutboxConsumer {
  private readonly loop: PollingLoop;

  constructor(
    private readonly persistence: Persistence,
    private readonly recorder: AuditRecorder,
    private readonly logger: GatehouseLogger,
    private readonly onRecorded: (batch: RecordedBatch) => void,
  ) {
    this.loop = new PollingLoop(
      () => this.consumeOnce(),
      { idleMs: 100, errorMs: 1_000, batch: BATCH },
      (error) => this.logger.error('audit outbox consumer failed; retrying', { error: String(error) }),
    );
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  async consumeOnce(): Promise<number> {
    const batch = await this.persistence.transaction(async (repos) => {
      const events = await repos.auditOutbox.claimUnrecorded(BATCH);
      return { count: events.length, result: events.length > 0 ? await this.recorder.recordIn(repos, events) : null };
    });
    if (batch.result) this.onRecorded(batch.result);
    return batch.count;
  }
}
