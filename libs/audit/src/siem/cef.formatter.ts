import { isIPv4 } from 'node:net';
import type { AuditRecord } from '../audit-record.js';
import {
  eventName,
  normalizeIp,
  riskDecisionOf,
  riskReasonsText,
  SIEM_PRODUCT,
  SIEM_VENDOR,
  type SiemFormatContext,
} from './siem-format.js';

/**
 * ArcSight Common Event Format, Implementation Standard v25:
 * `CEF:0|Vendor|Product|Version|Signature ID|Name|Severity|Extension`.
 *
 * Extension mapping (order fixed; a key is left out when the record has no value for it):
 *
 * | key                          | from                                  | CEF dictionary name        |
 * |------------------------------|---------------------------------------|----------------------------|
 * | rt                           | occurredAt, epoch milliseconds        | deviceReceiptTime          |
 * | externalId                   | record id (the event id)              | externalId                 |
 * | outcome                      | `success` / `failure`                 | eventOutcome               |
 * | src                          | ip, when IPv4 (v4-mapped v6 unwrapped)| sourceAddress              |
 * | c6a2 / c6a2Label             | ip, when IPv6 / `Source IPv6 Address` | deviceCustomIPv6Address2   |
 * | suser                        | username, else user id                | sourceUserName             |
 * | suid                         | user id                               | sourceUserId               |
 * | requestClientApplication     | user agent                            | requestClientApplication   |
 * | cs2 / cs2Label               | OAuth client id / `oauthClientId`     | deviceCustomString2        |
 * | cs3 / cs3Label               | tenant slug / `tenant`                | deviceCustomString3        |
 * | cn1 / cn1Label               | risk score / `riskScore`              | deviceCustomNumber1        |
 * | cs1 / cs1Label               | risk reasons / `riskReasons`          | deviceCustomString1        |
 * | reason                       | OAuth error code of a failure         | reason                     |
 * | act                          | sign-in risk decision: allow, step_up, block | deviceAction        |
 * | msg                          | `risk decision step_up: second_factor`| message                    |
 * | cs4 / cs4Label               | geo country (ISO) / `geoCountry`      | deviceCustomString4        |
 * | cs5 / cs5Label               | device cookie id / `deviceId`         | deviceCustomString5        |
 * | cn2 / cn2Label               | chain position / `chainSequence`      | deviceCustomNumber2        |
 * | cs6 / cs6Label               | record hash / `chainHash`             | deviceCustomString6        |
 *
 * cs1 reads `rule(+points): detail; ...`. Severity is the risk score scaled to 0–10.
 */
export function formatCef(record: AuditRecord, context: SiemFormatContext): string {
  const header = [
    'CEF:0',
    escapeHeader(SIEM_VENDOR),
    escapeHeader(SIEM_PRODUCT),
    escapeHeader(context.productVersion),
    escapeHeader(record.type),
    escapeHeader(eventName(record.type)),
    String(cefSeverity(record.risk.score)),
  ].join('|');
  const extension = cefExtensions(record)
    .map(([key, value]) => `${key}=${escapeExtensionValue(value)}`)
    .join(' ');
  return `${header}|${extension}`;
}

/** round(score / 10), clamped to CEF's 0–10. */
export function cefSeverity(score: number): number {
  return Math.min(10, Math.max(0, Math.round(score / 10)));
}

function cefExtensions(record: AuditRecord): [string, string][] {
  const decision = riskDecisionOf(record.details);
  const pairs: [string, string | number | undefined][] = [
    ['rt', record.occurredAt.getTime()],
    ['externalId', record.id],
    ['outcome', record.outcome],
  ];
  if (record.ip) {
    const ip = normalizeIp(record.ip);
    if (isIPv4(ip)) pairs.push(['src', ip]);
    else pairs.push(['c6a2', ip], ['c6a2Label', 'Source IPv6 Address']);
  }
  pairs.push(
    ['suser', record.username ?? record.userId],
    ['suid', record.userId],
    ['requestClientApplication', record.userAgent],
    ...labelled('cs2', record.clientId, 'oauthClientId'),
    ['cs3', record.tenantSlug],
    ['cs3Label', 'tenant'],
    ['cn1', record.risk.score],
    ['cn1Label', 'riskScore'],
    ...labelled('cs1', record.risk.reasons.length > 0 ? riskReasonsText(record.risk.reasons) : undefined, 'riskReasons'),
    ['reason', record.errorCode],
    ['act', decision?.action],
    ['msg', decision && `risk decision ${decision.action}${decision.outcome ? `: ${decision.outcome}` : ''}`],
    ...labelled('cs4', record.geo.kind === 'located' ? record.geo.country : undefined, 'geoCountry'),
    ...labelled('cs5', record.device?.id, 'deviceId'),
    ['cn2', record.sequence],
    ['cn2Label', 'chainSequence'],
    ['cs6', record.hash],
    ['cs6Label', 'chainHash'],
  );
  return pairs.filter((pair): pair is [string, string | number] => pair[1] !== undefined && pair[1] !== '').map(([k, v]) => [k, String(v)]);
}

function labelled(key: string, value: string | undefined, label: string): [string, string | undefined][] {
  return value === undefined || value === ''
    ? []
    : [
        [key, value],
        [`${key}Label`, label],
      ];
}

/** CEF header: `\` and `|` are escaped; a header cannot span lines, so CR/LF become spaces. */
export function escapeHeader(value: string): string {
  return value.replace(/[\\|]/g, (c) => `\\${c}`).replace(/\r\n|[\r\n]/g, ' ');
}

/** CEF extension value: `\` and `=` are escaped, CR and LF are written as `\r` and `\n`; `|` is not escaped. */
export function escapeExtensionValue(value: string): string {
  return value.replace(/[\\=\r\n]/g, (c) => (c === '\r' ? '\\r' : c === '\n' ? '\\n' : `\\${c}`));
}
