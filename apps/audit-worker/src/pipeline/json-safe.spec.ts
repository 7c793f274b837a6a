import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalJson } from '@gatehouse/audit';
import { jsonSafe } from './json-safe.js';

describe('jsonSafe', () => {
  it('removes NUL characters from strings and keys, and turns non-finite numbers into null', () => {
    assert.deepEqual(jsonSafe({ 'a\u0000b': 'x\u0000y', n: Number.NaN, i: Number.POSITIVE_INFINITY, ok: 1.5, list: [undefined, 'z'] }), {
      ab: 'xy',
      n: null,
      i: null,
      ok: 1.5,
      list: [null, 'z'],
    });
  });

  it('gives what canonical JSON can always serialise (it throws on NaN otherwise)', () => {
    assert.throws(() => canonicalJson({ n: Number.NaN }));
    assert.equal(
      canonicalJson(jsonSafe({ n: Number.NaN, d: new Date('2026-01-01T00:00:00Z') })),
      '{"d":"2026-01-01T00:00:00.000Z","n":null}',
    );
  });

  it('leaves ordinary details untouched', () => {
    const details = {
      scope: ['openid', 'profile'],
      amr: ['pwd'],
      login_risk: { score: 20, reasons: [{ rule: 'device.new', points: 20, detail: 'é' }] },
    };
    assert.deepEqual(jsonSafe(details), details);
  });
});
