import { isIP } from 'node:net';
import { AUDIT_EVENT_TYPES } from '@gatehouse/audit';
import type { AuditRecordFilter } from '@gatehouse/persistence';
import { AdminProblem } from '../errors/admin-problem.js';

type Query = Readonly<Record<string, unknown>>;

/** ISO 8601 date or date-time; a time needs an explicit zone so the range means the same everywhere. */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

function single(query: Query, field: string): string | undefined {
  const value = query[field];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new AdminProblem('validation_failed', `${field} must be given once`, field);
  return value;
}

function instant(query: Query, field: string): Date | undefined {
  const value = single(query, field);
  if (value === undefined) return undefined;
  const time = ISO_8601.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time)) throw new AdminProblem('validation_failed', `${field} must be an ISO 8601 date-time with a zone`, field);
  return new Date(time);
}

function text(query: Query, field: string, maxLength: number): string | undefined {
  const value = single(query, field);
  if (value !== undefined && value.length > maxLength)
    throw new AdminProblem('validation_failed', `${field} must be at most ${maxLength} characters`, field);
  return value;
}

export interface TimeRange {
  readonly since?: Date | undefined;
  readonly until?: Date | undefined;
}

/** `since` (inclusive) and `until` (exclusive), by when the event happened. */
export function parseTimeRange(query: Query): TimeRange {
  const since = instant(query, 'since');
  const until = instant(query, 'until');
  if (since && until && since >= until) throw new AdminProblem('validation_failed', 'until must be later than since', 'until');
  return { since, until };
}

/** The audit API's filters; each 400 names its field. */
export function parseAuditFilter(query: Query): AuditRecordFilter {
  const type = single(query, 'type');
  if (type !== undefined && !(AUDIT_EVENT_TYPES as readonly string[]).includes(type))
    throw new AdminProblem('validation_failed', `type must be one of ${AUDIT_EVENT_TYPES.join(', ')}`, 'type');
  const ip = single(query, 'ip');
  if (ip !== undefined && isIP(ip) === 0) throw new AdminProblem('validation_failed', 'ip must be an IPv4 or IPv6 address', 'ip');
  const outcome = single(query, 'outcome');
  if (outcome !== undefined && outcome !== 'success' && outcome !== 'failure')
    throw new AdminProblem('validation_failed', 'outcome must be success or failure', 'outcome');
  const rawRisk = single(query, 'min_risk');
  const minRisk = rawRisk === undefined ? undefined : Number(rawRisk);
  if (minRisk !== undefined && (!/^\d{1,3}$/.test(rawRisk ?? '') || minRisk > 100))
    throw new AdminProblem('validation_failed', 'min_risk must be an integer from 0 to 100', 'min_risk');
  return {
    ...parseTimeRange(query),
    type,
    userId: text(query, 'user', 128),
    username: text(query, 'username', 128),
    clientId: text(query, 'client', 128),
    ip,
    outcome,
    minRisk,
  };
}

/** A chain position sent back by a client (cursor, Last-Event-ID): a non-negative integer. */
export function parseSequence(value: unknown, field: string): number {
  const sequence = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(sequence)) throw new AdminProblem('validation_failed', `${field} is not valid`, field);
  return sequence;
}

export type ExportFormat = 'ndjson' | 'csv';

export function parseExportFormat(query: Query): ExportFormat {
  const format = single(query, 'format') ?? 'ndjson';
  if (format !== 'ndjson' && format !== 'csv') throw new AdminProblem('validation_failed', 'format must be ndjson or csv', 'format');
  return format;
}
