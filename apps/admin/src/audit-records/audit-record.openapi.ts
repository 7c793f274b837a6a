import type { SchemaObject } from '@nestjs/swagger';
import { pageSchema } from '../http/openapi-schemas.js';

const nullableString: SchemaObject = { type: 'string', nullable: true };

/** presentAuditRecord: one scored, chained record. */
export const AUDIT_RECORD_SCHEMA: SchemaObject = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    sequence: { type: 'integer', description: 'position in the tenant chain' },
    type: { type: 'string', example: 'token.issued' },
    time: { type: 'string', format: 'date-time' },
    outcome: { type: 'string', enum: ['success', 'failure'] },
    user: { ...nullableString, description: 'user id' },
    username: nullableString,
    client: { ...nullableString, description: 'client_id' },
    ip: nullableString,
    user_agent: nullableString,
    geo: { type: 'object', nullable: true, description: 'country, region, city as the geo lookup found them' },
    device: nullableString,
    risk: {
      type: 'object',
      properties: {
        score: { type: 'integer', minimum: 0, maximum: 100 },
        reasons: {
          type: 'array',
          items: { type: 'object', properties: { rule: { type: 'string' }, points: { type: 'integer' }, detail: { type: 'string' } } },
        },
      },
    },
    error_code: nullableString,
    details: { type: 'object', nullable: true },
    hash: { type: 'string', description: 'SHA-256 over this record and previous_hash' },
    previous_hash: { type: 'string' },
  },
};

export const AUDIT_RECORD_PAGE_SCHEMA = pageSchema(AUDIT_RECORD_SCHEMA);

export const CHAIN_VERIFICATION_SCHEMA: SchemaObject = {
  type: 'object',
  properties: {
    intact: { type: 'boolean' },
    checked: { type: 'integer', description: 'records checked' },
    first_break: {
      type: 'object',
      description: 'only when the chain is broken',
      properties: { sequence: { type: 'integer' }, id: { type: 'string' }, reason: { type: 'string' } },
    },
  },
};
