import type { AuditRecord } from '../audit-record.js';
import { authenticationActivity, normalizeIp, riskDecisionOf, SIEM_PRODUCT, SIEM_VENDOR, type SiemFormatContext } from './siem-format.js';

export const OCSF_SCHEMA_VERSION = '1.3.0';
const AUTHENTICATION_CLASS_UID = 3002;

const ACTIVITIES = { logon: [1, 'Logon'], logoff: [2, 'Logoff'], other: [99, 'Other'] } as const;

/** Risk score → OCSF severity_id: 0 Informational(1), 1–39 Low(2), 40–69 Medium(3), 70–89 High(4), 90+ Critical(5). */
export function ocsfSeverity(score: number): { id: 1 | 2 | 3 | 4 | 5; name: string } {
  if (score >= 90) return { id: 5, name: 'Critical' };
  if (score >= 70) return { id: 4, name: 'High' };
  if (score >= 40) return { id: 3, name: 'Medium' };
  if (score >= 1) return { id: 2, name: 'Low' };
  return { id: 1, name: 'Informational' };
}

/**
 * OCSF Authentication (class_uid 3002, category_uid 3 Identity & Access Management).
 *
 * | OCSF                                  | from                                                            |
 * |---------------------------------------|-----------------------------------------------------------------|
 * | activity_id / activity_name           | 1 Logon (login, token issue/refresh/failure, code replay, refresh reuse), 2 Logoff (revocation, session end, back-channel logout), 99 Other |
 * | type_uid / type_name                  | 300200 + activity_id / `Authentication: <activity>`             |
 * | time                                  | occurredAt, epoch milliseconds                                  |
 * | status_id / status / status_code      | 1 Success, 2 Failure / error code                               |
 * | severity_id / severity                | from the risk score (ocsfSeverity)                              |
 * | message                               | the event type                                                  |
 * | user.name / user.uid                  | username / user id                                              |
 * | src_endpoint.ip / .location           | ip / geo country, city, coordinates [lon, lat]                  |
 * | http_request.user_agent               | user agent                                                      |
 * | service.uid                           | OAuth client id (the service the user signed in to)             |
 * | auth_protocol_id / auth_protocol      | 6 `OAUTH 2.0`                                                   |
 * | risk_score                            | risk score (0–100)                                              |
 * | metadata.uid / .sequence / .tenant_uid| record id / chain position / tenant id                          |
 * | metadata.product / .version           | Gatehouse and its version / OCSF schema version                 |
 * | metadata.logged_time                  | recordedAt, epoch milliseconds                                  |
 * | unmapped.gatehouse                    | event type, tenant slug, risk reasons and decision, device, hash|
 */
export function toOcsfAuthentication(record: AuditRecord, context: SiemFormatContext): Record<string, unknown> {
  const [activityId, activityName] = ACTIVITIES[authenticationActivity(record.type)];
  const severity = ocsfSeverity(record.risk.score);
  const success = record.outcome === 'success';
  const geo = record.geo;
  const location =
    geo.kind === 'located'
      ? {
          country: geo.country,
          city: geo.city,
          coordinates: geo.latitude !== undefined && geo.longitude !== undefined ? [geo.longitude, geo.latitude] : undefined,
        }
      : undefined;
  return {
    class_uid: AUTHENTICATION_CLASS_UID,
    class_name: 'Authentication',
    category_uid: 3,
    category_name: 'Identity & Access Management',
    activity_id: activityId,
    activity_name: activityName,
    type_uid: AUTHENTICATION_CLASS_UID * 100 + activityId,
    type_name: `Authentication: ${activityName}`,
    time: record.occurredAt.getTime(),
    severity_id: severity.id,
    severity: severity.name,
    status_id: success ? 1 : 2,
    status: success ? 'Success' : 'Failure',
    status_code: record.errorCode,
    message: record.type,
    user: { name: record.username, uid: record.userId },
    src_endpoint: record.ip === undefined && location === undefined ? undefined : { ip: record.ip && normalizeIp(record.ip), location },
    http_request: record.userAgent === undefined ? undefined : { user_agent: record.userAgent },
    service: record.clientId === undefined ? undefined : { uid: record.clientId },
    auth_protocol_id: 6,
    auth_protocol: 'OAUTH 2.0',
    risk_score: record.risk.score,
    metadata: {
      uid: record.id,
      sequence: record.sequence,
      tenant_uid: record.tenantId,
      logged_time: record.recordedAt.getTime(),
      version: OCSF_SCHEMA_VERSION,
      product: { name: SIEM_PRODUCT, vendor_name: SIEM_VENDOR, version: context.productVersion },
    },
    unmapped: {
      gatehouse: {
        event_type: record.type,
        tenant: record.tenantSlug,
        risk_reasons: record.risk.reasons.map((r) => ({ rule: r.rule, points: r.points, detail: r.detail })),
        risk_decision: riskDecisionOf(record.details),
        device: record.device && { uid: record.device.id, browser: record.device.browser, os: record.device.os, type: record.device.type },
        hash: record.hash,
        previous_hash: record.previousHash,
      },
    },
  };
}
