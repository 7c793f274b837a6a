import type { Queue } from 'bullmq';
import { AuditJobName, toJob, type RecordAuditEventJob } from '@gatehouse/audit';
import type { GatehouseLogger } from '@gatehouse/observability';
import type { Persistence } from '@gatehouse/persistence';
import { RECORD_JOB_OPTIONS } from './audit-queue.connections.js';
import { PollingLoop } from './polling-loop.js';

const BATCH = 500;
const REDIS_TIMEOUT_MS = 5_000;

/**
 * Moves outbox rows to the queue. The rows stay locked (SKIP LOCKED: relays on several
 * instances share the work) while Redis takes them, and are marked dispatched in the same
 * transaction only after Redis accepted them: if Redis is down the transaction rolls back
 * and the rows wait for the next turn. The outbox id is the job id, so a row sent twice
 * (commit lost after Redis accepted it) is one job.
 */
export class OutboxRelay {
  private readonly loop: PollingLoop;

  constructor(
    private readonly persistence: Persistence,
    private readonly queue: Queue<RecordAuditEventJob>,
    private readonly logger: GatehouseLogger,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.loop = new PollingLoop(
      () => this.relayOnce(),
      { idleMs: 100, errorMs: 1_000, batch: BATCH },
      (error) =>
        this.logger.warn('audit outbox relay: Redis did not take the batch; the rows wait in the outbox', { error: String(error) }),
    );
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** One batch; returns how many rows went to the queue. */
  relayOnce(): Promise<number> {
    return this.persistence.transaction(async (repos) => {
      const events = await repos.auditOutbox.claimUndispatched(BATCH);
      if (events.length === 0) return 0;
      await withTimeout(
        this.queue.addBulk(
          events.map((event) => ({ name: AuditJobName.Record, data: toJob(event), opts: { ...RECORD_JOB_OPTIONS, jobId: event.id } })),
        ),
        REDIS_TIMEOUT_MS,
      );
      await repos.auditOutbox.markDispatched(
        events.map((event) => event.id),
        this.now(),
      );
      return events.length;
    });
  }
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
