import type { SchemaObject } from '@nestjs/swagger';

/** A cursor page of `item`s (http/pagination.ts): pass `next_cursor` back as `cursor`; null on the last page. */
export function pageSchema(item: SchemaObject): SchemaObject {
  return {
    type: 'object',
    properties: { items: { type: 'array', items: item }, next_cursor: { type: 'string', nullable: true } },
  };
}
