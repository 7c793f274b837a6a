import type { AuditRecord } from '@gatehouse/audit';
import type { ChainVerification } from './audit-chain.verifier.js';

/** The audit API's record (also each NDJSON line and each SSE event): every field, null when absent. */
export function presentAuditRecord(record: AuditRecord): Record<string, unknown> {
  return {
    id: record.id,
    sequence: record.sequence,
    type: record.type,
    time: record.occurredAt.toISOString(),
    outcome: record.outcome,
    user: record.userId ?? null,
    username: record.username ?? null,
    client: record.clientId ?? null,
    ip: record.ip ?? null,
    user_agent: record.userAgent ?? null,
    geo: record.geo,
    device: record.device ?? null,
    risk: presentRisk(record),
    error_code: record.errorCode ?? null,
    details: record.details ?? null,
    hash: record.hash,
    previous_hash: record.previousHash,
  };
}

/**
 * The CLI's `audit list --json` record: exactly these keys (README contract). `user` is the
 * user id, or the typed username when the event has no id (a failed login).
 */
export function presentAuditSummary(record: AuditRecord): Record<string, unknown> {
  return {
    id: record.id,
    type: record.type,
    time: record.occurredAt.toISOString(),
    outcome: record.outcome,
    user: record.userId ?? record.username ?? null,
    client: record.clientId ?? null,
    ip: record.ip ?? null,
    risk: presentRisk(record),
  };
}

/** `{intact, checked, first_break?}` for the API and `audit verify --json`. */
export function presentVerification(result: ChainVerification): Record<string, unknown> {
  const { firstBreak } = result;
  return {
    intact: result.intact,
    checked: result.checked,
    ...(firstBreak ? { first_break: { sequence: firstBreak.sequence, id: firstBreak.id, reason: firstBreak.reason } } : {}),
  };
}

/** Reasons in a fixed key order (jsonb returns keys by length, not as written). */
function presentRisk(record: AuditRecord): { score: number; reasons: { rule: string; points: number; detail: string }[] } {
  return { score: record.risk.score, reasons: record.risk.reasons.map(({ rule, points, detail }) => ({ rule, points, detail })) };
}
