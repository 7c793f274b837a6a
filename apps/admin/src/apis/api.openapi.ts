import type { SchemaObject } from '@nestjs/swagger';

export const API_SCHEMA: SchemaObject = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    identifier: { type: 'string', description: 'RFC 8707 resource indicator: an absolute URI without a fragment; cannot change' },
    name: { type: 'string', maxLength: 200 },
    scope: { type: 'string', description: 'Space-separated scopes the API defines' },
  },
};

export const API_LIST_SCHEMA: SchemaObject = {
  type: 'object',
  properties: { items: { type: 'array', items: API_SCHEMA }, next_cursor: { type: 'string', nullable: true } },
};

export const CREATE_API_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['identifier', 'scope'],
  additionalProperties: false,
  properties: {
    identifier: API_SCHEMA.properties?.['identifier'] ?? {},
    name: { type: 'string', maxLength: 200 },
    scope: { type: 'string', description: 'Space-separated scopes; the OpenID Connect scopes are reserved' },
  },
};

export const UPDATE_API_SCHEMA: SchemaObject = {
  type: 'object',
  description: 'Members left out are unchanged; `scope` replaces the scopes. Send If-Match with the ETag of your last read.',
  additionalProperties: false,
  properties: {
    identifier: { type: 'string', description: 'may be sent back as read; a different one is refused (register a new API instead)' },
    name: CREATE_API_SCHEMA.properties?.['name'] ?? {},
    scope: CREATE_API_SCHEMA.properties?.['scope'] ?? {},
  },
};
