import type { GatehouseLogger } from '@gatehouse/observability';
import type { Persistence } from '@gatehouse/persistence';
import type { AuditRecorder, RecordedBatch } from './audit-recorder.js';
import { PollingLoop } from './polling-loop.js';

const BATCH = 1_000;

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
    let claimed: string[] = [];
    try {
      const batch = await this.persistence.transaction(async (repos) => {
        const events = await repos.auditOutbox.claimUnrecorded(BATCH);
        claimed = events.map((event) => event.id);
        return { count: events.length, result: events.length > 0 ? await this.recorder.recordIn(repos, events) : null };
      });
      if (batch.result) this.onRecorded(batch.result);
      return batch.count;
    } catch (error) {
      if (claimed.length <= 1) throw error;
      // One bad event must not stall the outbox: the batch again, one event per transaction.
      return this.consumeOneByOne(claimed);
    }
  }

  private async consumeOneByOne(ids: readonly string[]): Promise<number> {
    let failed = 0;
    for (const id of ids) {
      try {
        const result = await this.persistence.transaction(async (repos) => {
          const event = await repos.auditOutbox.claimUnrecordedById(id);
          return event ? this.recorder.recordIn(repos, [event]) : null;
        });
        if (result) this.onRecorded(result);
      } catch (error) {
        failed += 1;
        this.logger.error('an audit event could not be recorded; it stays in the outbox', { event: id, error: String(error) });
      }
    }
    // Less than a full batch: the loop pauses before trying the failed ones again.
    return Math.min(ids.length - failed, BATCH - 1);
  }
}
