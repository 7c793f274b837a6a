import type { SchemaObject } from '@nestjs/swagger';

/** A cursor page of `item`s (http/pagination.ts): pass `next_cursor` back as `cursor`; null on the last page. */
export function pageSchema(item: SchemaObject): SchemaObject {
  return {
    type: 'object',
    properties: { items: { type: 'array', items: item }, next_cursor: { type: 'string', nullable: true } },
  };
}

/** The member names a request schema documents: the body parser's list too, so the docs and the parser cannot drift. */
export function fieldsOf(schema: SchemaObject): string[] {
  return Object.keys(schema.properties ?? {});
}
