import type { Queue } from 'bullmq';
import { AuditJobName, toJob, type RecordAuditEventJob } from '@gatehouse/audit';
import type { GatehouseLogger } from '@gatehouse/observability';
import type { Persistence } from '@gatehouse/persistence';
import { RECORD_JOB_OPTIONS } from './audit-queue.connections.js';
import { PollingLoop } from './polling-loop.js';

const BATCH = 1_000;
const REDIS_TIMEOUT_MS = 5_000;
/** A dispatched row still unrecorded after this long is checked against the queue (see redispatchStale). */
const REDISPATCH_AFTER_MS = 5 * 60_000;

export interface OutboxRelayOptions {
  readonly now?: () => Date;
  readonly redispatchAfterMs?: number;
}

/**
 * Moves outbox rows to the queue. The rows stay locked (SKIP LOCKED: relays on several
 * instances share the work) while Redis takes them, and are marked dispatched in the same
 * transaction only after Redis accepted them: if Redis is down the transaction rolls back
 * and the rows wait for the next turn. The outbox id is the job id, so a row sent twice
 * (commit lost after Redis accepted it) is one job.
 *
 * Redis accepting a job is not the end: Redis restarted without persistence (or a failover)
 * loses it, and a job that exhausted its attempts (database down for long) stays failed. So
 * rows dispatched long ago and still unrecorded are checked against the queue and re-sent
 * or retried; the recorder's idempotency makes a second delivery harmless.
 */
export class OutboxRelay {
  private readonly loop: PollingLoop;
  private readonly now: () => Date;
  private readonly redispatchAfterMs: number;
  private lastStaleCheck = 0;

  constructor(
    private readonly persistence: Persistence,
    private readonly queue: Queue<RecordAuditEventJob>,
    private readonly logger: GatehouseLogger,
    options: OutboxRelayOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.redispatchAfterMs = options.redispatchAfterMs ?? REDISPATCH_AFTER_MS;
    this.loop = new PollingLoop(
      () => this.turn(),
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

  private async turn(): Promise<number> {
    const sent = await this.relayOnce();
    const now = this.now().getTime();
    if (sent < BATCH && now - this.lastStaleCheck >= Math.min(this.redispatchAfterMs, 60_000)) {
      this.lastStaleCheck = now;
      await this.redispatchStale();
    }
    return sent;
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

  /**
   * Rows dispatched more than redispatchAfterMs ago and still unrecorded: a job Redis no
   * longer has is added again, a failed one is retried, one still waiting or running is left.
   */
  redispatchStale(): Promise<number> {
    return this.persistence.transaction(async (repos) => {
      const now = this.now();
      const events = await repos.auditOutbox.claimStale(new Date(now.getTime() - this.redispatchAfterMs), BATCH);
      if (events.length === 0) return 0;
      const jobs = await withTimeout(Promise.all(events.map((event) => this.queue.getJob(event.id))), REDIS_TIMEOUT_MS);
      const missing = events.filter((_, index) => !jobs[index]);
      const states = await withTimeout(Promise.all(jobs.map((job) => (job ? job.getState() : Promise.resolve(null)))), REDIS_TIMEOUT_MS);
      const failed = jobs.filter((job, index) => job && states[index] === 'failed');
      await withTimeout(
        Promise.all([
          this.queue.addBulk(
            missing.map((event) => ({ name: AuditJobName.Record, data: toJob(event), opts: { ...RECORD_JOB_OPTIONS, jobId: event.id } })),
          ),
          ...failed.map((job) => job!.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true })),
        ]),
        REDIS_TIMEOUT_MS,
      );
      await repos.auditOutbox.markRedispatched(
        events.map((event) => event.id),
        now,
      );
      if (missing.length + failed.length > 0) {
        this.logger.warn('audit outbox relay: re-sent events the queue had lost or given up on', {
          resent: missing.length,
          retried: failed.length,
        });
      }
      return missing.length + failed.length;
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
