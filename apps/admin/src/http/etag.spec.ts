import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyReply } from 'fastify';
import { AdminProblem } from '../errors/admin-problem.js';
import { EntityTag } from './etag.js';

interface Thing {
  readonly name: string;
  readonly updatedAt: Date;
}

const TAG = new EntityTag(
  (thing: Thing) => thing.updatedAt,
  (thing: Thing) => ({ name: thing.name }),
);
const thing: Thing = { name: 'a', updatedAt: new Date('2026-12-01T00:00:00Z') };

/** A reply that remembers its headers. */
function reply(): FastifyReply & { headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  return {
    headers,
    header(name: string, value: string) {
      headers[name] = value;
      return this;
    },
  } as unknown as FastifyReply & { headers: Record<string, string> };
}

const refusal = (code: string) => (error: unknown) => error instanceof AdminProblem && error.code === code;

describe('EntityTag', () => {
  it('is a strong, quoted tag that changes with the version time and with the representation', () => {
    const tag = TAG.of(thing);
    assert.match(tag, /^"[A-Za-z0-9_-]{22}"$/);
    assert.equal(TAG.of({ ...thing }), tag);
    assert.notEqual(TAG.of({ ...thing, updatedAt: new Date('2026-12-01T00:00:01Z') }), tag);
    assert.notEqual(TAG.of({ ...thing, name: 'b' }), tag);
  });

  it('answers the body with the resource’s tag on the reply', () => {
    const sent = reply();
    const body = { name: 'a', extra: true };
    assert.equal(TAG.answer(sent, thing, body), body);
    assert.equal(sent.headers['etag'], TAG.of(thing));
  });

  it('accepts If-Match naming the current tag, among others, or *', () => {
    TAG.requireMatch(TAG.of(thing), thing);
    TAG.requireMatch(`"other", ${TAG.of(thing)}`, thing);
    TAG.requireMatch('*', thing);
  });

  it('refuses an update without If-Match (428) and with a stale tag (412)', () => {
    assert.throws(() => TAG.requireMatch(undefined, thing), refusal('precondition_required'));
    assert.throws(() => TAG.requireMatch('', thing), refusal('precondition_required'));
    const stale = TAG.of({ ...thing, name: 'before' });
    assert.throws(() => TAG.requireMatch(stale, thing), refusal('precondition_failed'));
    assert.throws(() => TAG.requireMatch(`W/${TAG.of(thing)}`, thing), refusal('precondition_failed'), 'a weak tag never matches strongly');
  });
});
