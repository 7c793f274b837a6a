import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuditRecord } from '../audit-record.js';
import { canonicalJson } from './canonical-json.js';
import { GENESIS_HASH, chainHash, findChainBreak, hashedContent, type UnhashedRecord } from './record-hash.js';

function unhashed(sequence: number, overrides: Partial<UnhashedRecord> = {}): UnhashedRecord {
  return {
    id: `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`,
    tenantId: '11111111-1111-4111-8111-111111111111',
    tenantSlug: 'acme',
    sequence,
    type: 'login.succeeded',
    outcome: 'success',
    occurredAt: new Date('2026-11-26T10:00:00.123Z'),
    recordedAt: new Date('2026-11-26T10:00:01.000Z'),
    username: 'alice',
    ip: '203.0.113.9',
    geo: { kind: 'unknown' },
    risk: { score: 20, reasons: [{ rule: 'device.new', points: 20, detail: 'a device alice has not used before' }] },
    ...overrides,
  };
}

function chain(length: number): AuditRecord[] {
  const records: AuditRecord[] = [];
  let previous = GENESIS_HASH;
  for (let sequence = 1; sequence <= length; sequence += 1) {
    const record = unhashed(sequence);
    const hash = chainHash(previous, record);
    records.push({ ...record, previousHash: previous, hash });
    previous = hash;
  }
  return records;
}

describe('canonical JSON', () => {
  it('sorts keys at every depth, drops undefined, writes dates as ISO strings', () => {
    assert.equal(
      canonicalJson({ b: 1, a: { d: [1, 'x', null], c: new Date('2026-01-01T00:00:00Z') }, u: undefined }),
      '{"a":{"c":"2026-01-01T00:00:00.000Z","d":[1,"x",null]},"b":1}',
    );
  });

  it('is independent of insertion order', () => {
    assert.equal(canonicalJson({ x: 1, y: { p: true, q: 'é' } }), canonicalJson({ y: { q: 'é', p: true }, x: 1 }));
  });

  it('refuses values JSON cannot carry faithfully', () => {
    assert.throws(() => canonicalJson(Number.NaN), TypeError);
    assert.throws(() => canonicalJson({ a: [1, { b: Number.POSITIVE_INFINITY }] }), TypeError);
    assert.throws(() => canonicalJson({ f: () => 1 }), TypeError);
    assert.throws(() => canonicalJson([10n]), TypeError);
  });

  it('writes the bytes the first implementation wrote, for any JSON-shaped value (every stored chain keeps verifying)', () => {
    const random = seeded(20261206);
    for (let round = 0; round < 2_000; round++) {
      const value = randomValue(random, 0);
      assert.equal(canonicalJson(value), firstCanonicalJson(value), JSON.stringify(value));
    }
    const record = { ...unhashed(1), details: { z: [1, undefined, 'x'], a: { é: 1, E: 2, e: null } } };
    const { tenantSlug: _slug, ...content } = record;
    assert.equal(hashedContent(record), firstCanonicalJson(content));
  });
});

/** canonicalJson as first written (entries, filter, sort, map, join): the reference for its faster form. */
function firstCanonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map((item) => firstCanonicalJson(item === undefined ? null : item)).join(',')}]`;
  if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') return JSON.stringify(value);
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${firstCanonicalJson(item)}`).join(',')}}`;
}

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

const KEYS = ['a', 'b', 'B', 'aa', 'a b', 'é', 'e', 'Z', '10', '2', '', '\u{1F600}', '\uFFFF', 'key"quoted', 'line\nbreak'];

function randomValue(random: () => number, depth: number): unknown {
  const pick = Math.floor(random() * (depth > 3 ? 6 : 9));
  switch (pick) {
    case 0:
      return null;
    case 1:
      return undefined;
    case 2:
      return random() < 0.5;
    case 3:
      return Math.floor(random() * 2_000_000) - 1_000_000 + (random() < 0.3 ? random() : 0);
    case 4:
      return KEYS[Math.floor(random() * KEYS.length)]!.repeat(1 + Math.floor(random() * 3));
    case 5:
      return new Date(Math.floor(random() * 4_000_000_000_000));
    case 6:
    case 7: {
      const object: Record<string, unknown> = {};
      for (let member = Math.floor(random() * 6); member > 0; member--)
        object[KEYS[Math.floor(random() * KEYS.length)]!] = randomValue(random, depth + 1);
      return object;
    }
    default:
      return Array.from({ length: Math.floor(random() * 5) }, () => randomValue(random, depth + 1));
  }
}

describe('audit hash chain', () => {
  it('matches the known-answer vector of the formula docs/audit.md publishes', () => {
    // Computed outside this code base: Python's hashlib.sha256(("0" * 64 + "\n" + content).encode()).
    // The slug is left out of the content; keys are sorted at every depth; dates are ISO strings.
    const content =
      '{"geo":{"kind":"unknown"},"id":"00000000-0000-4000-8000-000000000001","ip":"203.0.113.9",' +
      '"occurredAt":"2026-11-26T10:00:00.123Z","outcome":"success","recordedAt":"2026-11-26T10:00:01.000Z",' +
      '"risk":{"reasons":[{"detail":"a device alice has not used before","points":20,"rule":"device.new"}],"score":20},' +
      '"sequence":1,"tenantId":"11111111-1111-4111-8111-111111111111","type":"login.succeeded","username":"alice"}';
    assert.equal(hashedContent(unhashed(1)), content);
    assert.equal(chainHash(GENESIS_HASH, unhashed(1)), 'bbdab648ead3254997edb57f47a23e2e5e0e6241fb4040be5dbf382062e0c6f6');
  });

  it('an intact chain has no break', () => {
    assert.equal(findChainBreak(chain(5), GENESIS_HASH, 1), null);
  });

  it('names the first record whose content was changed', () => {
    const records = chain(5);
    records[2] = { ...records[2]!, risk: { score: 0, reasons: [] } };
    assert.deepEqual(findChainBreak(records, GENESIS_HASH, 1), { sequence: 3, id: records[2].id, reason: 'hash_mismatch' });
  });

  it('a record rehashed after tampering still breaks the link to its successor', () => {
    const records = chain(4);
    const tampered = { ...records[1]!, username: 'mallory' };
    records[1] = { ...tampered, hash: chainHash(tampered.previousHash, tampered) };
    assert.deepEqual(findChainBreak(records, GENESIS_HASH, 1), { sequence: 3, id: records[2]!.id, reason: 'previous_hash_mismatch' });
  });

  it('a deleted record is a sequence gap', () => {
    const records = chain(4);
    records.splice(1, 1);
    assert.equal(findChainBreak(records, GENESIS_HASH, 1)?.reason, 'sequence_gap');
  });

  it('the tenant slug is presentation, not content: renaming a tenant keeps the chain valid', () => {
    const records = chain(3).map((record) => ({ ...record, tenantSlug: 'renamed' }));
    assert.equal(findChainBreak(records, GENESIS_HASH, 1), null);
  });
});
