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
  Record: 'record',
} as const;
export type AuditJobName = (typeof AuditJobName)[keyof typeof AuditJobName];

/** The payload of a `record` job: the outbox event, dates as ISO strings. The job id is the event id. */
export interface RecordAuditEventJob extends Omit<OutboxEvent, 'occurredAt'> {
  readonly occurredAt: string;
}

export function toJob(event: OutboxEvent): RecordAuditEventJob {
  return { ...event, occurredAt: event.occurredAt.toISOString() };
}

export function fromJob(job: RecordAuditEventJob): OutboxEvent {
  return { ...job, occurredAt: new Date(job.occurredAt) };
}
