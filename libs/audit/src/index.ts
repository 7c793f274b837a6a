export { AUDIT_EVENT_TYPES, type AuditEvent, type AuditEventType, type AuditOutbox } from './audit-event.js';
export type { RequestContext } from './request-context.js';
export type { AuditRecord, DeviceInfo, GeoLocation, RiskAssessment, RiskReason } from './audit-record.js';
