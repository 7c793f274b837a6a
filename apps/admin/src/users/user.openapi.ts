import type { SchemaObject } from '@nestjs/swagger';
import { pageSchema } from '../http/openapi-schemas.js';

const timestamp: SchemaObject = { type: 'string', format: 'date-time' };
const nullableTimestamp: SchemaObject = { ...timestamp, nullable: true };

/** presentUser: lock state included, never a password hash. */
export const USER_SCHEMA: SchemaObject = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    username: { type: 'string' },
    email: { type: 'string', nullable: true },
    email_verified: { type: 'boolean' },
    name: { type: 'string', nullable: true },
    status: { type: 'string', enum: ['active', 'disabled'] },
    locked: { type: 'boolean', description: 'locked out now: hard-locked, or locked_until in the future' },
    locked_until: nullableTimestamp,
    failed_login_count: { type: 'integer' },
    hard_locked: { type: 'boolean' },
    hard_locked_at: nullableTimestamp,
    consecutive_failed_logins: { type: 'integer' },
    last_login_at: nullableTimestamp,
    created_at: timestamp,
  },
};

export const USER_PAGE_SCHEMA = pageSchema(USER_SCHEMA);

export const CREATE_USER_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['username'],
  additionalProperties: false,
  properties: {
    username: { type: 'string', minLength: 1, maxLength: 128 },
    email: { type: 'string', format: 'email', maxLength: 320 },
    password: {
      type: 'string',
      description:
        "checked against the tenant's password policy (NIST SP 800-63B: 400 weak_password); stored as an argon2id hash; without it the user cannot sign in with a password",
    },
  },
  example: { username: 'alice', email: 'alice@example.com', password: 'correct horse battery staple' },
};

/** PATCH /users/{username}: absent members keep their value; null clears email or name. */
export const USER_PATCH_SCHEMA: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    email: { type: 'string', format: 'email', maxLength: 320, nullable: true },
    name: { type: 'string', nullable: true },
    email_verified: { type: 'boolean' },
    status: { type: 'string', enum: ['active', 'disabled'] },
  },
};

/** POST /users/{username}/password. */
export const PASSWORD_RESET_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['password'],
  additionalProperties: false,
  properties: {
    password: CREATE_USER_SCHEMA.properties?.['password'] ?? {},
    end_sessions: { type: 'boolean', default: true, description: 'sign the user out everywhere' },
  },
};

/** What ending a user's sessions did (also on PATCH status=disabled, password reset and delete). */
export const SIGNED_OUT_SCHEMA: SchemaObject = {
  type: 'object',
  properties: {
    sessions: { type: 'integer' },
    grants: { type: 'integer' },
    backchannel_logouts: { type: 'integer', description: 'back-channel logout notices queued for clients' },
  },
};

export const USER_CHANGE_SCHEMA: SchemaObject = {
  type: 'object',
  properties: { ...USER_SCHEMA.properties, signed_out: { ...SIGNED_OUT_SCHEMA, nullable: true } },
};

export const USER_DELETED_SCHEMA: SchemaObject = {
  type: 'object',
  properties: { deleted: { type: 'string', description: 'the username' }, signed_out: SIGNED_OUT_SCHEMA },
};

export const SESSION_PAGE_SCHEMA = pageSchema({
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    created_at: timestamp,
    auth_time: timestamp,
    expires_at: timestamp,
    amr: { type: 'array', items: { type: 'string' } },
    client_ids: { type: 'array', items: { type: 'string' } },
  },
});

export const CONSENT_PAGE_SCHEMA = pageSchema({
  type: 'object',
  properties: {
    client_id: { type: 'string' },
    scopes: { type: 'array', items: { type: 'string' } },
    granted_at: timestamp,
    resources: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          resource: { type: 'string', nullable: true, description: 'the API; null for the OpenID scopes' },
          scopes: { type: 'array', items: { type: 'string' } },
          granted_at: timestamp,
        },
      },
    },
  },
});
