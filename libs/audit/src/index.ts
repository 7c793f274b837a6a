export {
  AUDIT_EVENT_TYPES,
  isLoginEvent,
  LOGIN_EVENT_TYPES,
  type AuditEvent,
  type AuditEventType,
  type AuditOutbox,
  type OutboxEvent,
} from './audit-event.js';
export type { RequestContext } from './request-context.js';
export { auditQueueTelemetry, currentTraceContext, inAuditSpans, installAuditTraceBridge, type AuditTraceBridge } from './trace-context.js';
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
export {
  AUDIT_QUEUE,
  AuditJobName,
  eventsOfJob,
  fromJob,
  toBatchJob,
  toJob,
  type AuditJobData,
  type RecordAuditBatchJob,
  type RecordAuditEventJob,
} from './queue/audit-queue.js';
export { SinkCredentialsSealer, type SinkCredentials } from './sinks/sink-credentials.js';
export { formatCef, cefSeverity } from './siem/cef.formatter.js';
export { formatJson, toJsonEvent } from './siem/json.formatter.js';
export {
  formatSyslog,
  frameOctetCounting,
  syslogSeverity,
  SYSLOG_FACILITIES,
  SYSLOG_SD_ID,
  type SyslogFacility,
} from './siem/syslog.formatter.js';
export { toOcsfAuthentication, ocsfSeverity, OCSF_SCHEMA_VERSION } from './siem/ocsf.formatter.js';
export { toEcsEvent, ECS_VERSION } from './siem/ecs.formatter.js';
export {
  signWebhookPayload,
  verifyWebhookSignature,
  WEBHOOK_SIGNATURE_HEADER,
  type VerifyWebhookOptions,
} from './siem/webhook-signature.js';
export { DeliveryError, type SiemTransport } from './siem/delivery-error.js';
export { retryDelay, type RetryDelayOptions } from './siem/retry-policy.js';
export {
  FORMATS_BY_TYPE,
  SIEM_FORMATS,
  SIEM_SINK_TYPES,
  type SiemFormat,
  type SiemSinkConfig,
  type SiemSinkType,
  type SiemTlsOptions,
  type SinkConfigProblem,
} from './siem/sink-config.js';
export { validateSiemSinkConfig, type SinkConfigValidation, type SinkValidationOptions } from './siem/validate-sink-config.js';
export { createTransport, type TransportEnvironment } from './siem/create-transport.js';
export { SyslogTransport, type SyslogTransportOptions } from './siem/syslog.transport.js';
export { SplunkHecTransport, type SplunkHecTransportOptions } from './siem/splunk-hec.transport.js';
export { WebhookTransport, type WebhookTransportOptions } from './siem/webhook.transport.js';
export type { SiemFormatContext } from './siem/siem-format.js';
