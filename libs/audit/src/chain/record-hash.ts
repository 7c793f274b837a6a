import { createHash } from 'node:crypto';
import type { AuditRecord } from '../audit-record.js';
import { canonicalJsonWithout } from './canonical-json.js';

/** The previous hash of a tenant's first record. */
export const GENESIS_HASH = '0'.repeat(64);

export type UnhashedRecord = Omit<AuditRecord, 'hash' | 'previousHash'>;

/** What the hash covers: every field of the record except the two hashes themselves. */
export function hashedContent(record: UnhashedRecord | AuditRecord): string {
  return canonicalJsonWithout(record, NOT_HASHED);
}

// The slug is presentation (a tenant can be renamed); the tenant id is what the chain belongs to.
const NOT_HASHED: ReadonlySet<string> = new Set(['tenantSlug', 'hash', 'previousHash']);

/** SHA-256 over the previous record's hash and this record's canonical JSON, hex. */
export function chainHash(previousHash: string, record: UnhashedRecord | AuditRecord): string {
  return createHash('sha256').update(previousHash).update('\n').update(hashedContent(record)).digest('hex');
}

export interface ChainBreak {
  readonly sequence: number;
  readonly id: string;
  readonly reason: 'hash_mismatch' | 'previous_hash_mismatch' | 'sequence_gap';
}

/**
 * Checks a run of one tenant's records in sequence order. `expectedPrevious` is the hash
 * the first record must point at (GENESIS_HASH from the start of the chain; after retention
 * removed a prefix, the first remaining record's own previous_hash is the anchor).
 */
export function findChainBreak(records: readonly AuditRecord[], expectedPrevious: string, expectedSequence: number): ChainBreak | null {
  let previous = expectedPrevious;
  let sequence = expectedSequence;
  for (const record of records) {
    if (record.sequence !== sequence) return { sequence: record.sequence, id: record.id, reason: 'sequence_gap' };
    if (record.previousHash !== previous) return { sequence: record.sequence, id: record.id, reason: 'previous_hash_mismatch' };
    if (chainHash(record.previousHash, record) !== record.hash)
      return { sequence: record.sequence, id: record.id, reason: 'hash_mismatch' };
    previous = record.hash;
    sequence += 1;
  }
  return null;
}
