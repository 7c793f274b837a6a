import type { SchemaObject } from '@nestjs/swagger';
import { pageSchema } from '../http/openapi-schemas.js';
import { GRANT_TYPES, REGISTRATION_OPENID_SCOPES, TOKEN_ENDPOINT_AUTH_METHODS } from '@gatehouse/protocol';

const POLICY_SCHEMA: SchemaObject = {
  type: 'object',
  description:
    'What clients registered with the token may ask for; a registration beyond it gets invalid_client_metadata, and RFC 7592 updates of those clients stay inside it.',
  additionalProperties: false,
  properties: {
    grant_types: {
      type: 'array',
      items: { type: 'string', enum: [...GRANT_TYPES] },
      description: 'Default: authorization_code, refresh_token',
    },
    scopes: {
      type: 'array',
      items: { type: 'string' },
      description: `Scopes allowed by name: OpenID scopes and/or scopes of the tenant's APIs. Default: ${REGISTRATION_OPENID_SCOPES.join(' ')}`,
    },
    apis: {
      type: 'array',
      items: { type: 'string' },
      description: "Identifiers of the tenant's APIs every scope of which is allowed. Default: none",
    },
    token_endpoint_auth_methods: {
      type: 'array',
      items: { type: 'string', enum: [...TOKEN_ENDPOINT_AUTH_METHODS] },
      description: 'Default: all of them',
    },
  },
};

export const CREATE_REGISTRATION_TOKEN_SCHEMA: SchemaObject = {
  type: 'object',
  description: 'Refused in the system tenant.',
  properties: {
    expires_in: { type: 'integer', minimum: 60, maximum: 365 * 86_400, description: 'Seconds; default 86400' },
    policy: POLICY_SCHEMA,
  },
};

export const CREATED_REGISTRATION_TOKEN_SCHEMA: SchemaObject = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    token: { type: 'string', description: 'The initial access token, shown once' },
    expires_at: { type: 'string', format: 'date-time' },
    revoked_at: { type: 'string', format: 'date-time', nullable: true },
    created_at: { type: 'string', format: 'date-time' },
    policy: POLICY_SCHEMA,
  },
};

/** A listed token: never the token itself. */
export const REGISTRATION_TOKEN_PAGE_SCHEMA = pageSchema({
  type: 'object',
  properties: Object.fromEntries(
    Object.entries(CREATED_REGISTRATION_TOKEN_SCHEMA.properties ?? {}).filter(([member]) => member !== 'token'),
  ),
});
