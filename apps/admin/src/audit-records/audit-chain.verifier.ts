import { findChainBreak, GENESIS_HASH, type AuditRecord, type ChainBreak } from '@gatehouse/audit';
import type { ChainHead } from '@gatehouse/persistence';

/** What the verifier reads: the tenant's chain head, its oldest surviving record, and the records in order. */
export interface AuditChainSource {
  head(tenantId: string): Promise<ChainHead | null>;
  anchor(tenantId: string): Promise<{ sequence: number; previousHash: string } | null>;
  after(tenantId: string, afterSequence: number, limit: number): Promise<AuditRecord[]>;
}

export interface ChainFault {
  readonly sequence: number;
  /** The record at fault; null when it is missing (records cut from the end of the chain). */
  readonly id: string | null;
  /** `head_mismatch`: the chain head does not point at the last record (truncated, or the head itself altered). */
  readonly reason: ChainBreak['reason'] | 'head_mismatch';
}

export interface ChainVerification {
  readonly checked: number;
  readonly intact: boolean;
  readonly firstBreak?: ChainFault;
}

/**
 * Walks one tenant's hash chain oldest first, a batch at a time (memory stays flat however long
 * the chain): every link from the anchor to the head the chain had when verification started.
 * Retention may have removed a prefix; the oldest surviving record's previous hash is then the
 * anchor, and from the start of the chain that hash must be GENESIS_HASH.
 */
export class AuditChainVerifier {
  constructor(
    private readonly source: AuditChainSource,
    private readonly batchSize = 1000,
  ) {}

  async verify(tenantId: string): Promise<ChainVerification> {
    // The head first: records appended while we walk lie beyond it and are left for the next run.
    let head = await this.currentHead(tenantId);
    const anchor = await this.source.anchor(tenantId);
    // No record: a new tenant, or retention removed them all (it only ever removes a prefix).
    if (!anchor) return { checked: 0, intact: true };
    // A record appended between the two reads is newer than the head we read; the head now covers it.
    if (anchor.sequence > head.sequence) head = await this.currentHead(tenantId);
    if (anchor.sequence > head.sequence)
      return { checked: 0, intact: false, firstBreak: { sequence: anchor.sequence, id: null, reason: 'head_mismatch' } };

    let previous = anchor.sequence === 1 ? GENESIS_HASH : anchor.previousHash;
    let next = anchor.sequence;
    let checked = 0;
    let last: AuditRecord | null = null;
    while (next <= head.sequence) {
      const limit = head.sequence;
      const batch = (await this.source.after(tenantId, next - 1, this.batchSize)).filter((record) => record.sequence <= limit);
      if (batch.length === 0) break;
      const fault = findChainBreak(batch, previous, next);
      if (fault) return { checked: checked + batch.findIndex((record) => record.id === fault.id) + 1, intact: false, firstBreak: fault };
      checked += batch.length;
      last = batch.at(-1) ?? null;
      previous = last?.hash ?? previous;
      next += batch.length;
    }
    if (last === null || last.sequence < head.sequence)
      // Records cut from the end: the first missing position is the break.
      return {
        checked,
        intact: false,
        firstBreak: { sequence: (last?.sequence ?? anchor.sequence - 1) + 1, id: null, reason: 'head_mismatch' },
      };
    if (last.hash !== head.hash)
      return { checked, intact: false, firstBreak: { sequence: last.sequence, id: last.id, reason: 'head_mismatch' } };
    return { checked, intact: true };
  }

  private async currentHead(tenantId: string): Promise<ChainHead> {
    return (await this.source.head(tenantId)) ?? { sequence: 0, hash: GENESIS_HASH };
  }
}
