import { createHash, randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import { AuditJobName, toBatchJob, type AuditJobData, type OutboxEvent } from '@gatehouse/audit';
import type { GatehouseLogger } from '@gatehouse/observability';
import type { Persistence } from '@gatehouse/persistence';
import { RECORD_JOB_OPTIONS } from './audit-queue.connections.js';
import { PollingLoop } from './polling-loop.js';

const BATCH = 1_000;
/** Events per job: a relay turn's rows go as a few jobs, not one each (BullMQ's per-job Redis scripts were most of the pipeline's cost). */
export const EVENTS_PER_JOB = 200;
/** Jobs that may still carry a stale row: while any is pending, stale rows wait (see redispatchStale). */
const PENDING_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'] as const;
const REDIS_TIMEOUT_MS = 5_000;
/** A dispatched row still unrecorded after this long is checked against the queue (see redispatchStale). */
const REDISPATCH_AFTER_MS = 5 * 60_000;

export interface OutboxRelayOptions {
  readonly now?: () => Date;
  readonly redispatchAfterMs?: number;
}

/**
 * Moves outbox rows to the queue, EVENTS_PER_JOB to a job. The rows stay locked (SKIP LOCKED:
 * relays on several instances share the work) while Redis takes them, and are marked dispatched in
 * the same transaction only after Redis accepted them: if Redis is down the transaction rolls back
 * and the rows wait for the next turn. A job's id is a digest of its events' ids, so a chunk sent
 * twice (commit lost after Redis accepted it) is one job; a chunk cut differently the second time
 * is another job, and the recorder's idempotency makes the second delivery harmless.
 *
 * Redis accepting a job is not the end: Redis restarted without persistence (or a failover)
 * loses it, and a job that exhausted its attempts (database down for long) stays failed. So
 * rows dispatched long ago and still unrecorded are sent again, once no job is pending that
 * could still carry them.
 */
export class OutboxRelay {
  private readonly loop: PollingLoop;
  private readonly now: () => Date;
  private readonly redispatchAfterMs: number;
  private lastStaleCheck = 0;

  constructor(
    private readonly persistence: Persistence,
    private readonly queue: Queue<AuditJobData>,
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
      await withTimeout(this.queue.addBulk(jobsOf(events, digestOf)), REDIS_TIMEOUT_MS);
      await repos.auditOutbox.markDispatched(
        events.map((event) => event.id),
        this.now(),
      );
      return events.length;
    });
  }

  /**
   * Rows dispatched more than redispatchAfterMs ago and still unrecorded. Their job cannot be named
   * (a job carries many rows), so they are sent again only when no job is pending: then the job that
   * carried them is gone (Redis lost it) or failed for good, and nothing could record them twice at
   * once. Under an unbroken backlog they wait for the queue's next lull.
   */
  redispatchStale(): Promise<number> {
    return this.persistence.transaction(async (repos) => {
      const now = this.now();
      const events = await repos.auditOutbox.claimStale(new Date(now.getTime() - this.redispatchAfterMs), BATCH);
      if (events.length === 0) return 0;
      const counts = await withTimeout(this.queue.getJobCounts(...PENDING_STATES), REDIS_TIMEOUT_MS);
      if (PENDING_STATES.some((state) => (counts[state] ?? 0) > 0)) return 0;
      // A fresh id: the digest of an identical chunk may name a job Redis still keeps as completed or failed.
      await withTimeout(this.queue.addBulk(jobsOf(events, () => `resent-${randomUUID()}`)), REDIS_TIMEOUT_MS);
      await repos.auditOutbox.markRedispatched(
        events.map((event) => event.id),
        now,
      );
      this.logger.warn('audit outbox relay: re-sent events the queue had lost or given up on', { resent: events.length });
      return events.length;
    });
  }
}

/** The events in outbox order, EVENTS_PER_JOB to a job. */
function jobsOf(events: readonly OutboxEvent[], idOf: (chunk: readonly OutboxEvent[]) => string) {
  const jobs = [];
  for (let start = 0; start < events.length; start += EVENTS_PER_JOB) {
    const chunk = events.slice(start, start + EVENTS_PER_JOB);
    jobs.push({ name: AuditJobName.RecordBatch, data: toBatchJob(chunk), opts: { ...RECORD_JOB_OPTIONS, jobId: idOf(chunk) } });
  }
  return jobs;
}

/** The same events, the same id: a chunk sent twice is one job. */
function digestOf(chunk: readonly OutboxEvent[]): string {
  const hash = createHash('sha256');
  for (const event of chunk) hash.update(event.id).update(',');
  return `batch-${hash.digest('hex').slice(0, 32)}`;
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
