import type { AuditRecord, GeoLocation } from '../audit-record.js';

/**
 * The record as a JSON object with a fixed key order (syslog JSON body, Splunk HEC `event`).
 * Keys with no value are left out; `details` keys are sorted so equal records give equal bytes.
 *
 * `{id, tenant:{id,slug}, sequence, type, outcome, occurredAt, recordedAt, user:{id,name},
 *   clientId, ip, userAgent, geo, device, risk:{score,reasons}, errorCode, details, hash, previousHash}`
 */
export function toJsonEvent(record: AuditRecord): Record<string, unknown> {
  const user = record.userId === undefined && record.username === undefined ? undefined : { id: record.userId, name: record.username };
  return {
    id: record.id,
    tenant: { id: record.tenantId, slug: record.tenantSlug },
    sequence: record.sequence,
    type: record.type,
    outcome: record.outcome,
    occurredAt: record.occurredAt.toISOString(),
    recordedAt: record.recordedAt.toISOString(),
    user,
    clientId: record.clientId,
    ip: record.ip,
    userAgent: record.userAgent,
    geo: geoOf(record.geo),
    device: record.device && { id: record.device.id, browser: record.device.browser, os: record.device.os, type: record.device.type },
    risk: { score: record.risk.score, reasons: record.risk.reasons.map((r) => ({ rule: r.rule, points: r.points, detail: r.detail })) },
    errorCode: record.errorCode,
    details: record.details && sortKeys(record.details),
    hash: record.hash,
    previousHash: record.previousHash,
  };
}

/** One line of JSON: no newline can appear inside it (JSON escapes control characters). */
export function formatJson(record: AuditRecord): string {
  return JSON.stringify(toJsonEvent(record));
}

function geoOf(geo: GeoLocation): Record<string, unknown> {
  if (geo.kind !== 'located') return { kind: geo.kind };
  return { kind: geo.kind, country: geo.country, city: geo.city, latitude: geo.latitude, longitude: geo.longitude };
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
}
