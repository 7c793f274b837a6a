import type { Queue, Worker } from 'bullmq';
import { eventsOfJob, type AuditJobData, type OutboxEvent } from '@gatehouse/audit';
import type { GatehouseConfig } from '@gatehouse/config';
import type { GatehouseLogger, QueueReading } from '@gatehouse/observability';
import type { Persistence } from '@gatehouse/persistence';
import { openAuditQueue, openAuditWorker } from './audit-queue.connections.js';
import { UnrecordedEvents, type AuditRecorder, type RecordedBatch } from './audit-recorder.js';
import { MicroBatcher, PartialFlushFailure } from './micro-batcher.js';
import { OutboxConsumer } from './outbox-consumer.js';
import { OutboxRelay, type OutboxRelayOptions } from './outbox-relay.js';

/**
 * Jobs held at once. A job carries up to EVENTS_PER_JOB events (a legacy `record` job one), so
 * twenty keep one micro-batch committing and the next gathering (BATCH_SIZE each); BullMQ hands
 * a job to the processor only while fewer than this many are active.
 */
const WORKER_CONCURRENCY = 20;
const BATCH_SIZE = 1_000;
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/**
 * outbox -> (relay -> BullMQ -> worker) -> recorder, or outbox -> direct consumer -> recorder
 * when there is no Redis. `onRecorded` hears of every committed batch (the SIEM exporter wakes on it).
 */
export class AuditPipeline {
  private queue: Queue<AuditJobData> | null = null;
  private worker: Worker<AuditJobData> | null = null;
  private relay: OutboxRelay | null = null;
  private consumer: OutboxConsumer | null = null;
  private batcher: MicroBatcher<OutboxEvent> | null = null;

  constructor(
    private readonly config: Pick<GatehouseConfig, 'redisUrl'>,
    private readonly persistence: Persistence,
    private readonly recorder: AuditRecorder,
    private readonly logger: GatehouseLogger,
    private readonly onRecorded: (batch: RecordedBatch) => void = () => undefined,
    private readonly relayOptions: OutboxRelayOptions = {},
  ) {}

  get mode(): 'queue' | 'direct' {
    return this.config.redisUrl ? 'queue' : 'direct';
  }

  start(): void {
    if (!this.config.redisUrl) {
      this.consumer = new OutboxConsumer(this.persistence, this.recorder, this.logger, this.onRecorded);
      this.consumer.start();
      return;
    }
    const batcher = new MicroBatcher<OutboxEvent>(
      async (events) => {
        try {
          this.onRecorded(await this.recorder.record(events));
        } catch (error) {
          // Only the jobs of the events that failed fail (and retry); the rest of the batch was recorded.
          if (!(error instanceof UnrecordedEvents)) throw error;
          this.onRecorded(error.recorded);
          throw new PartialFlushFailure(new Set(events.filter((event) => error.eventIds.has(event.id))), error);
        }
      },
      { maxItems: BATCH_SIZE, maxDelayMs: 20 },
    );
    this.batcher = batcher;
    this.queue = openAuditQueue(this.config.redisUrl);
    this.relay = new OutboxRelay(this.persistence, this.queue, this.logger, this.relayOptions);
    this.worker = openAuditWorker(
      this.config.redisUrl,
      async (job) => {
        await Promise.all(eventsOfJob(job.data).map((event) => batcher.submit(event)));
      },
      WORKER_CONCURRENCY,
    );
    this.relay.start();
    void this.worker.run().catch((error: unknown) => this.logger.error('audit worker stopped', { error: String(error) }));
  }

  /** The audit queue's jobs by state (metrics; a job carries up to EVENTS_PER_JOB events); none without Redis. */
  async queueDepth(): Promise<QueueReading[]> {
    const queue = this.queue;
    if (!queue) return [];
    const counts = await queue.getJobCounts(...QUEUE_STATES);
    return QUEUE_STATES.map((state) => ({ queue: queue.name, state, count: counts[state] ?? 0 }));
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
    await this.relay?.stop();
    const worker = this.worker;
    if (worker) {
      const closed = await Promise.race([worker.close().then(() => true), delay(10_000).then(() => false)]);
      if (!closed) await worker.disconnect().catch(() => undefined);
    }
    await this.batcher?.idle();
    const queue = this.queue;
    if (queue) {
      // With Redis unreachable, close() waits for a reconnect that may never come: give up and disconnect.
      const closed = await Promise.race([queue.close().then(() => true), delay(5_000).then(() => false)]);
      if (!closed) await queue.disconnect().catch(() => undefined);
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
