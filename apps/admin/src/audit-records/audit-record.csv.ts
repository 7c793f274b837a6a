import type { AuditRecord } from '@gatehouse/audit';

export const CSV_COLUMNS = ['id', 'sequence', 'time', 'type', 'outcome', 'user', 'username', 'client', 'ip', 'risk_score', 'risk_reasons'];

/** RFC 4180: CRLF line ends; a field with a comma, quote or line break is quoted, its quotes doubled. */
const NEEDS_QUOTES = /[",\r\n]/;
/** Cells a spreadsheet would run as a formula (OWASP CSV injection): =, +, -, @, and tab or CR in front. */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvLine(cells: readonly (string | number | null)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

export function csvHeader(): string {
  return csvLine(CSV_COLUMNS);
}

/** One record; the reasons as `rule:points` joined by `;` (the details are in the NDJSON export). */
export function csvRecord(record: AuditRecord): string {
  return csvLine([
    record.id,
    record.sequence,
    record.occurredAt.toISOString(),
    record.type,
    record.outcome,
    record.userId ?? null,
    record.username ?? null,
    record.clientId ?? null,
    record.ip ?? null,
    record.risk.score,
    record.risk.reasons.map((reason) => `${reason.rule}:${reason.points}`).join(';'),
  ]);
}
