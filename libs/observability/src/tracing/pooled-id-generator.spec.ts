import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isValidSpanId, isValidTraceId } from '@opentelemetry/api';
import { PooledIdGenerator } from './pooled-id-generator.js';

describe('PooledIdGenerator', () => {
  it('gives valid W3C ids, none repeated, across many refills of its pool', () => {
    const ids = new PooledIdGenerator();
    const seen = new Set<string>();
    for (let i = 0; i < 5_000; i++) {
      const traceId = ids.generateTraceId();
      const spanId = ids.generateSpanId();
      assert.ok(isValidTraceId(traceId), traceId);
      assert.ok(isValidSpanId(spanId), spanId);
      seen.add(traceId).add(spanId);
    }
    assert.equal(seen.size, 10_000);
  });

  it('spreads its hex digits evenly (random, not counters or a pattern)', () => {
    const ids = new PooledIdGenerator();
    const counts = new Map<string, number>();
    for (let i = 0; i < 2_000; i++) for (const digit of ids.generateTraceId()) counts.set(digit, (counts.get(digit) ?? 0) + 1);
    assert.equal(counts.size, 16);
    // 64,000 digits: 4,000 expected per digit; a uniform source stays well within ±10 %.
    for (const [digit, count] of counts) assert.ok(count > 3_600 && count < 4_400, `${digit}: ${count}`);
  });

  it('never returns an all-zero id, which W3C Trace Context calls invalid', () => {
    const ids = new PooledIdGenerator();
    // A pool whose next ids are all zeros, as a random source may produce.
    Object.assign(ids, { pool: '0'.repeat(32) + 'f'.repeat(8192), offset: 0 });
    assert.equal(ids.generateTraceId(), 'f'.repeat(32));
    Object.assign(ids, { pool: '0'.repeat(16) + 'e'.repeat(8192), offset: 0 });
    assert.equal(ids.generateSpanId(), 'e'.repeat(16));
  });
});
