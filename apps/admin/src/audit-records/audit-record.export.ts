import type { AuditRecord } from '@gatehouse/audit';
import { csvHeader, csvRecord } from './audit-record.csv.js';
import { presentAuditRecord } from './audit-record.presenter.js';
import type { ExportFormat } from './audit-records.query.js';

const CHUNK_BYTES = 64 * 1024;

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  ndjson: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8; header=present',
};

/**
 * The export body, chunk by chunk: NDJSON lines (the audit API's record shape) or RFC 4180 CSV.
 * Pulled by the response stream, so a page is fetched only once the client took the last one.
 */
export async function* exportChunks(records: AsyncIterable<AuditRecord>, format: ExportFormat): AsyncGenerator<string> {
  let chunk = format === 'csv' ? csvHeader() : '';
  for await (const record of records) {
    chunk += format === 'csv' ? csvRecord(record) : `${JSON.stringify(presentAuditRecord(record))}\n`;
    if (chunk.length >= CHUNK_BYTES) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}
