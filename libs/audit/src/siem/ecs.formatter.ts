import type { AuditRecord } from '../audit-record.js';
import { authenticationActivity, normalizeIp, riskDecisionOf } from './siem-format.js';

export const ECS_VERSION = '8.11.0';

const EVENT_TYPE = { logon: 'start', logoff: 'end', other: 'info' } as const;

/**
 * Elastic Common Schema. Fields ECS has no name for live under the custom `gatehouse.*` namespace
 * (ECS reserves no such top-level field, so it never collides with a future ECS field).
 *
 * | ECS                                         | from                                                  |
 * |---------------------------------------------|-------------------------------------------------------|
 * | @timestamp                                  | occurredAt (ISO 8601, UTC, ms)                        |
 * | event.kind / category                       | `event` / `["authentication"]`                        |
 * | event.type                                  | `["start"]` logon, `["end"]` logoff, `["info"]` other |
 * | event.action / outcome / id                 | event type / success, failure / record id             |
 * | event.risk_score / event.severity           | risk score (0–100), both                              |
 * | event.created / event.sequence              | recordedAt / chain position                           |
 * | event.dataset / event.provider              | `gatehouse.audit` / `gatehouse`                       |
 * | error.code                                  | OAuth error code of a failure                         |
 * | user.name / user.id                         | username / user id                                    |
 * | source.ip / source.geo.*                    | ip / country_iso_code, city_name, location{lat,lon}   |
 * | user_agent.original                         | user agent                                            |
 * | organization.id / organization.name         | tenant id / tenant slug                               |
 * | gatehouse.oauth.client_id                   | OAuth client id                                       |
 * | gatehouse.risk.reasons                      | `[{rule, points, detail}]`                            |
 * | gatehouse.risk.decision                     | sign-in decision `{action, outcome}` (step-up, block) |
 * | gatehouse.device                            | device cookie id, browser, os, type                   |
 * | gatehouse.chain.hash / previous_hash        | record hash / previous record's hash                  |
 */
export function toEcsEvent(record: AuditRecord): Record<string, unknown> {
  const geo = record.geo;
  const sourceGeo =
    geo.kind === 'located'
      ? {
          country_iso_code: geo.country,
          city_name: geo.city,
          location: geo.latitude !== undefined && geo.longitude !== undefined ? { lat: geo.latitude, lon: geo.longitude } : undefined,
        }
      : undefined;
  return {
    '@timestamp': record.occurredAt.toISOString(),
    ecs: { version: ECS_VERSION },
    event: {
      kind: 'event',
      category: ['authentication'],
      type: [EVENT_TYPE[authenticationActivity(record.type)]],
      action: record.type,
      outcome: record.outcome,
      id: record.id,
      risk_score: record.risk.score,
      severity: record.risk.score,
      created: record.recordedAt.toISOString(),
      sequence: record.sequence,
      dataset: 'gatehouse.audit',
      provider: 'gatehouse',
    },
    error: record.errorCode === undefined ? undefined : { code: record.errorCode },
    user: record.userId === undefined && record.username === undefined ? undefined : { name: record.username, id: record.userId },
    source: record.ip === undefined && sourceGeo === undefined ? undefined : { ip: record.ip && normalizeIp(record.ip), geo: sourceGeo },
    user_agent: record.userAgent === undefined ? undefined : { original: record.userAgent },
    organization: { id: record.tenantId, name: record.tenantSlug },
    gatehouse: {
      oauth: record.clientId === undefined ? undefined : { client_id: record.clientId },
      risk: {
        reasons: record.risk.reasons.map((r) => ({ rule: r.rule, points: r.points, detail: r.detail })),
        decision: riskDecisionOf(record.details),
      },
      device: record.device && { id: record.device.id, browser: record.device.browser, os: record.device.os, type: record.device.type },
      chain: { hash: record.hash, previous_hash: record.previousHash },
    },
  };
}
