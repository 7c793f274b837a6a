export { AUDIT_EVENT_TYPES, type AuditEvent, type AuditEventType, type AuditOutbox, type OutboxEvent } from './audit-event.js';
export type { RequestContext } from './request-context.js';
export type { AuditRecord, DeviceInfo, GeoLocation, RiskAssessment, RiskReason } from './audit-record.js';
export {
  canonicalJson,
  GENESIS_HASH,
  chainHash,
  findChainBreak,
  hashedContent,
  type ChainBreak,
  type UnhashedRecord,
} from './chain/index.js';
export { AUDIT_QUEUE, AuditJobName, fromJob, toJob, type RecordAuditEventJob } from './queue/audit-queue.js';
export { SinkCredentialsSealer, type SinkCredentials } from './sinks/sink-credentials.js';
