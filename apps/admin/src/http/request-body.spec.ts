import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SchemaObject } from '@nestjs/swagger';
import { AdminProblem } from '../errors/admin-problem.js';
import { readBody } from './request-body.js';

const SCHEMA: SchemaObject = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 5 },
    kind: { type: 'string', enum: ['a', 'b'] },
    note: { type: 'string', nullable: true },
    count: { type: 'integer', minimum: 1, maximum: 10 },
    on: { type: 'boolean' },
    tags: { type: 'array', items: { type: 'string', maxLength: 3 } },
    settings: { type: 'object' },
  },
};

const refused = (field: string | undefined, message: RegExp) => (error: unknown) =>
  error instanceof AdminProblem && error.code === 'validation_failed' && error.field === field && message.test(error.message);

describe('readBody', () => {
  it('answers a body that fits its schema, as sent', () => {
    const body = { name: 'abc', kind: 'b', note: null, count: 3, on: false, tags: ['x', 'yz'], settings: { deep: 1 } };
    assert.deepEqual(readBody(SCHEMA, body), body);
  });

  it('refuses what is not a JSON object, and an unknown member by name with the field it was probably meant to be', () => {
    for (const body of [null, [], 'name', 3]) assert.throws(() => readBody(SCHEMA, body), refused(undefined, /JSON object/));
    assert.throws(() => readBody(SCHEMA, { name: 'a', cuont: 1 }), refused('cuont', /not a field.*did you mean count/));
  });

  it('without a body at all, an optional body reads as {}', () => {
    assert.deepEqual(readBody({ type: 'object', properties: {} }, undefined, { optional: true }), {});
    assert.throws(() => readBody(SCHEMA, undefined), refused(undefined, /JSON object/));
  });

  it('enforces required, type, enum, length, range and item limits as the schema documents them', () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{}, 'name', /name is required/],
      [{ name: '  ' }, 'name', /name is required/],
      [{ name: 5 }, 'name', /must be a string/],
      [{ name: 'abcdef' }, 'name', /at most 5 characters/],
      [{ name: 'a', kind: 'c' }, 'kind', /one of a, b/],
      [{ name: 'a', count: 1.5 }, 'count', /must be an integer from 1 to 10/],
      [{ name: 'a', count: '3' }, 'count', /must be an integer from 1 to 10/],
      [{ name: 'a', count: 11 }, 'count', /must be an integer from 1 to 10/],
      [{ name: 'a', on: 'yes' }, 'on', /boolean/],
      [{ name: 'a', tags: 'x' }, 'tags', /array of strings/],
      [{ name: 'a', tags: [1] }, 'tags', /array of strings/],
      [{ name: 'a', tags: ['long'] }, 'tags', /each item must be at most 3 characters/],
      [{ name: 'a', tags: Array.from({ length: 101 }, () => 'x') }, 'tags', /array of strings/],
      [{ name: 'a', settings: [] }, 'settings', /JSON object/],
    ];
    for (const [body, field, message] of cases)
      assert.throws(() => readBody(SCHEMA, body), refused(field, message), JSON.stringify(body).slice(0, 60));
  });

  it("answers a member the resource has but the request cannot change with the caller's own refusal", () => {
    const refuse = (field: string) =>
      field === 'password' ? new AdminProblem('validation_failed', 'use the password route', field) : undefined;
    assert.throws(() => readBody(SCHEMA, { name: 'a', password: 'x' }, { refuse }), refused('password', /use the password route/));
    assert.throws(() => readBody(SCHEMA, { name: 'a', nmae: 'x' }, { refuse }), refused('nmae', /did you mean name/));
  });

  it('counts characters, not UTF-16 units, against maxLength', () => {
    assert.deepEqual(readBody(SCHEMA, { name: '😀😀😀😀😀' }), { name: '😀😀😀😀😀' });
  });
});
