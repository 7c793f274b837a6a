import { Queue, Worker, type JobsOptions, type Processor, type Telemetry } from 'bullmq';
import { AUDIT_QUEUE, auditQueueTelemetry, type AuditJobData } from '@gatehouse/audit';

/** BullMQ's spans for adding and processing jobs when tracing is on (docs/adr/0013). */
const telemetry = () => auditQueueTelemetry() as Telemetry | undefined;

/** Attempts and backoff set explicitly; completed jobs kept an hour (their ids dedupe re-sends), failed ones a week for inspection. */
export const RECORD_JOB_OPTIONS: JobsOptions = Object.freeze({
  attempts: 10,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 3_600, count: 100_000 },
  removeOnFail: { age: 7 * 86_400 },
});

/** The producer side: fails fast while Redis is away (no offline queue), so the relay's transaction rolls back. */
export function openAuditQueue(redisUrl: string): Queue<AuditJobData> {
  const queue = new Queue<AuditJobData>(AUDIT_QUEUE.name, {
    // Connection options (not a client): BullMQ then owns, duplicates and closes its connections.
    connection: { url: redisUrl, maxRetriesPerRequest: 1, enableOfflineQueue: false },
    prefix: AUDIT_QUEUE.prefix,
    telemetry: telemetry(),
  });
  queue.on('error', () => undefined);
  return queue;
}

/** The consumer side: BullMQ workers need blocking commands that wait out a reconnect (maxRetriesPerRequest null). */
export function openAuditWorker(redisUrl: string, processor: Processor<AuditJobData>, concurrency: number): Worker<AuditJobData> {
  const worker = new Worker<AuditJobData>(AUDIT_QUEUE.name, processor, {
    connection: { url: redisUrl, maxRetriesPerRequest: null },
    prefix: AUDIT_QUEUE.prefix,
    concurrency,
    autorun: false,
    telemetry: telemetry(),
  });
  worker.on('error', () => undefined);
  return worker;
}
