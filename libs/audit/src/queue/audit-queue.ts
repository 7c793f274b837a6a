import type { OutboxEvent } from '../audit-event.js';

/**
 * The audit event queue. The `{...}` hash tag in the prefix puts every key of the queue
 * in one Redis Cluster slot, which BullMQ needs to run on a cluster.
 */
export const AUDIT_QUEUE = Object.freeze({
  prefix: '{gatehouse-audit}',
  name: 'audit-events',
});

export const AuditJobName = {
  /** One event per job: what relays before batching sent; still accepted, so an upgrade loses nothing queued. */
  Record: 'record',
  /** Many events per job: one BullMQ job (and its Redis scripts) carries a relay's chunk of the outbox. */
  RecordBatch: 'record-batch',
} as const;
export type AuditJobName = (typeof AuditJobName)[keyof typeof AuditJobName];

/** One outbox event as a job carries it, dates as ISO strings. A `record` job's id is the event id. */
export interface RecordAuditEventJob extends Omit<OutboxEvent, 'occurredAt'> {
  readonly occurredAt: string;
}

/** The payload of a `record-batch` job: outbox events in outbox order. */
export interface RecordAuditBatchJob {
  readonly events: readonly RecordAuditEventJob[];
}

export type AuditJobData = RecordAuditEventJob | RecordAuditBatchJob;

export function toJob(event: OutboxEvent): RecordAuditEventJob {
  return { ...event, occurredAt: event.occurredAt.toISOString() };
}

export function fromJob(job: RecordAuditEventJob): OutboxEvent {
  return { ...job, occurredAt: new Date(job.occurredAt) };
}

export function toBatchJob(events: readonly OutboxEvent[]): RecordAuditBatchJob {
  return { events: events.map(toJob) };
}

/** The events a job carries, whichever kind it is. */
export function eventsOfJob(data: AuditJobData): OutboxEvent[] {
  return 'events' in data ? data.events.map(fromJob) : [fromJob(data)];
}
