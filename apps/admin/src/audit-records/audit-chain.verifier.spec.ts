import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chainHash, GENESIS_HASH, type AuditRecord, type UnhashedRecord } from '@gatehouse/audit';
import type { ChainHead } from '@gatehouse/persistence';
import { AuditChainVerifier, type AuditChainSource } from './audit-chain.verifier.js';

const TENANT = '11111111-1111-4111-8111-111111111111';

function chain(length: number): AuditRecord[] {
  const records: AuditRecord[] = [];
  let previous = GENESIS_HASH;
  for (let sequence = 1; sequence <= length; sequence += 1) {
    const record: UnhashedRecord = {
      id: `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`,
      tenantId: TENANT,
      tenantSlug: 'acme',
      sequence,
      type: 'login.succeeded',
      outcome: 'success',
      occurredAt: new Date(Date.UTC(2026, 0, 1, 0, sequence)),
      recordedAt: new Date(Date.UTC(2026, 0, 1, 0, sequence)),
      geo: { kind: 'unknown' },
      risk: { score: 0, reasons: [] },
    };
    const hash = chainHash(previous, record);
    records.push({ ...record, previousHash: previous, hash });
    previous = hash;
  }
  return records;
}

/** An in-memory store that counts how much it was asked for at once. */
function source(records: AuditRecord[], head: ChainHead | null): AuditChainSource & { largestPage: number } {
  const store = {
    largestPage: 0,
    head: () => Promise.resolve(head),
    anchor: () => {
      const first = records[0];
      return Promise.resolve(first ? { sequence: first.sequence, previousHash: first.previousHash } : null);
    },
    after: (_tenant: string, sequence: number, limit: number) => {
      const page = records.filter((record) => record.sequence > sequence).slice(0, limit);
      store.largestPage = Math.max(store.largestPage, page.length);
      return Promise.resolve(page);
    },
  };
  return store;
}

const headOf = (records: AuditRecord[]): ChainHead => ({
  sequence: records.at(-1)?.sequence ?? 0,
  hash: records.at(-1)?.hash ?? GENESIS_HASH,
});

describe('AuditChainVerifier', () => {
  it('walks a long chain in batches and finds it intact', async () => {
    const records = chain(25);
    const store = source(records, headOf(records));
    assert.deepEqual(await new AuditChainVerifier(store, 4).verify(TENANT), { checked: 25, intact: true });
    assert.equal(store.largestPage, 4);
  });

  it('names a change in a later batch with the number of records checked up to it', async () => {
    const records = chain(10);
    const head = headOf(records);
    records[6] = { ...records[6]!, username: 'mallory' };
    assert.deepEqual(await new AuditChainVerifier(source(records, head), 3).verify(TENANT), {
      checked: 7,
      intact: false,
      firstBreak: { sequence: 7, id: records[6].id, reason: 'hash_mismatch' },
    });
  });

  it('after retention removed a prefix, the oldest surviving record is the anchor', async () => {
    const records = chain(8).slice(3);
    assert.deepEqual(await new AuditChainVerifier(source(records, headOf(records)), 2).verify(TENANT), { checked: 5, intact: true });
  });

  it('from the start of the chain the first record must point at the genesis hash', async () => {
    const [first] = chain(1);
    const forged = { ...first!, previousHash: 'f'.repeat(64) };
    const records = [{ ...forged, hash: chainHash(forged.previousHash, forged) }];
    assert.equal(
      (await new AuditChainVerifier(source(records, headOf(records))).verify(TENANT)).firstBreak?.reason,
      'previous_hash_mismatch',
    );
  });

  it('a deleted middle record is a sequence gap; a truncated end or a moved head is a head mismatch', async () => {
    const gap = chain(5);
    const head = headOf(gap);
    gap.splice(2, 1);
    assert.equal((await new AuditChainVerifier(source(gap, head)).verify(TENANT)).firstBreak?.reason, 'sequence_gap');

    const truncated = chain(5);
    const fullHead = headOf(truncated);
    assert.deepEqual((await new AuditChainVerifier(source(truncated.slice(0, 3), fullHead)).verify(TENANT)).firstBreak, {
      sequence: 4,
      id: null,
      reason: 'head_mismatch',
    });

    const records = chain(3);
    const wrongHead = { sequence: 3, hash: 'a'.repeat(64) };
    assert.deepEqual((await new AuditChainVerifier(source(records, wrongHead)).verify(TENANT)).firstBreak, {
      sequence: 3,
      id: records[2]!.id,
      reason: 'head_mismatch',
    });
  });

  it('records appended after the head was read are left for the next run', async () => {
    const records = chain(6);
    assert.deepEqual(await new AuditChainVerifier(source(records, headOf(records.slice(0, 4))), 4).verify(TENANT), {
      checked: 4,
      intact: true,
    });
  });

  it('no record at all is an intact, empty chain', async () => {
    assert.deepEqual(await new AuditChainVerifier(source([], null)).verify(TENANT), { checked: 0, intact: true });
  });
});
