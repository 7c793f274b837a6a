import type { AuditRecord } from '../audit-record.js';

/** RFC 5424 §6.2.1 facility codes a SIEM sink may use: authpriv (10) by default, local0–local7. */
export const SYSLOG_FACILITIES = {
  auth: 4,
  authpriv: 10,
  local0: 16,
  local1: 17,
  local2: 18,
  local3: 19,
  local4: 20,
  local5: 21,
  local6: 22,
  local7: 23,
} as const;
export type SyslogFacility = keyof typeof SYSLOG_FACILITIES;

export interface SyslogHeaderOptions {
  /** RFC 5424 §6.2.4: FQDN, hostname or IP of the sender; `-` when unknown. */
  readonly hostname: string;
  readonly appName?: string;
  readonly procId?: string;
  readonly facility?: SyslogFacility;
}

/** `gatehouse@32473`: 32473 is the private enterprise number RFC 5612 reserves for documentation. */
export const SYSLOG_SD_ID = 'gatehouse@32473';

/** RFC 5424 §6.4: a UTF-8 MSG MUST start with the byte order mark. Gatehouse always writes UTF-8, so always the BOM. */
export const UTF8_BOM = '\uFEFF';

/** Risk → RFC 5424 severity: ≥70 warning (4), ≥40 notice (5), else informational (6). */
export function syslogSeverity(score: number): 4 | 5 | 6 {
  return score >= 70 ? 4 : score >= 40 ? 5 : 6;
}

/**
 * `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [SD] BOM MSG` (RFC 5424 §6), where MSG is the
 * CEF or JSON rendering of the record. TIMESTAMP is occurredAt in UTC with milliseconds,
 * MSGID the event type, SD `[gatehouse@32473 tenant="<slug>" record="<id>"]`.
 */
export function formatSyslog(record: AuditRecord, msg: string, options: SyslogHeaderOptions): string {
  const pri = SYSLOG_FACILITIES[options.facility ?? 'authpriv'] * 8 + syslogSeverity(record.risk.score);
  const header = [
    `<${pri}>1`,
    record.occurredAt.toISOString(),
    headerField(options.hostname, 255),
    headerField(options.appName ?? 'gatehouse', 48),
    headerField(options.procId ?? '-', 128),
    headerField(record.type, 32),
  ].join(' ');
  const sd = `[${SYSLOG_SD_ID} tenant="${escapeSdParam(record.tenantSlug)}" record="${escapeSdParam(record.id)}"]`;
  return `${header} ${sd} ${UTF8_BOM}${msg}`;
}

/** RFC 6587 §3.4.1 octet counting: `MSG-LEN SP SYSLOG-MSG`, MSG-LEN counting bytes, not characters. */
export function frameOctetCounting(message: string): Buffer {
  const bytes = Buffer.from(message, 'utf8');
  return Buffer.concat([Buffer.from(`${bytes.length} `, 'ascii'), bytes]);
}

/** RFC 5424 §6.3.3: inside PARAM-VALUE, `"`, `\` and `]` MUST be escaped with a backslash. */
export function escapeSdParam(value: string): string {
  return value.replace(/["\\\]]/g, (c) => `\\${c}`);
}

/** Header fields are PRINTUSASCII (33–126) with a maximum length; empty becomes the NILVALUE `-`. */
function headerField(value: string, maxLength: number): string {
  const printable = value.replace(/[^\x21-\x7e]/g, '').slice(0, maxLength);
  return printable === '' ? '-' : printable;
}
