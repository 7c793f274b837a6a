import type { SchemaObject } from '@nestjs/swagger';
import { FORMATS_BY_TYPE, SIEM_FORMATS, SIEM_SINK_TYPES } from '@gatehouse/audit';

const dateTime: SchemaObject = { type: 'string', format: 'date-time' };
const formats = Object.entries(FORMATS_BY_TYPE)
  .map(([type, allowed]) => `${type}: ${allowed.join('/')}`)
  .join('; ');

export const SINK_SCHEMA: SchemaObject = {
  type: 'object',
  description: 'A SIEM sink. Its token, secret and TLS key are never shown, only whether it has them.',
  properties: {
    id: { type: 'string', format: 'uuid' },
    name: { type: 'string' },
    type: { type: 'string', enum: [...SIEM_SINK_TYPES] },
    url: { type: 'string' },
    format: { type: 'string', enum: [...SIEM_FORMATS] },
    ack_enabled: { type: 'boolean' },
    max_attempts: { type: 'integer' },
    enabled: { type: 'boolean' },
    state: {
      type: 'string',
      enum: ['disabled', 'healthy', 'retrying', 'dead-lettering'],
      description: '`retrying`: the last batch failed and is being retried; `dead-lettering`: the last batch became dead letters',
    },
    exported_sequence: { type: 'integer', description: 'the audit chain position up to which every record was delivered or dead-lettered' },
    last_error: { type: 'string', nullable: true },
    last_delivered_at: { ...dateTime, nullable: true },
    created_at: dateTime,
    has_token: { type: 'boolean' },
    has_secret: { type: 'boolean' },
  },
};

export const SINK_PAGE_SCHEMA: SchemaObject = {
  type: 'object',
  properties: { items: { type: 'array', items: SINK_SCHEMA }, next_cursor: { type: 'string', nullable: true } },
};

export const CREATE_SINK_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['type', 'url'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200, description: 'default: the type and the host' },
    type: { type: 'string', enum: [...SIEM_SINK_TYPES] },
    url: {
      type: 'string',
      description:
        'syslog: tcp://host:port or tls://host:port; splunk-hec: the collector base URL; webhook: the endpoint (https://, http:// only to loopback)',
    },
    format: { type: 'string', enum: [...SIEM_FORMATS], description: `${formats}; default cef, json, ocsf` },
    token: { type: 'string', writeOnly: true, description: 'Splunk HEC token (splunk-hec only, required)' },
    secret: {
      type: 'string',
      writeOnly: true,
      description: 'HMAC-SHA256 signing secret (webhook only, required, at least 16 characters)',
    },
    ack_enabled: { type: 'boolean', default: false, description: 'Splunk HEC indexer acknowledgement (splunk-hec only)' },
    max_attempts: {
      type: 'integer',
      minimum: 1,
      maximum: 50,
      default: 8,
      description: 'delivery attempts before a batch becomes dead letters',
    },
    tls: {
      type: 'object',
      writeOnly: true,
      description: 'syslog over tls:// only',
      additionalProperties: false,
      properties: {
        ca: { type: 'string', description: 'PEM CA bundle' },
        cert: { type: 'string', description: 'PEM client certificate (with key)' },
        key: { type: 'string', description: 'PEM client key (with cert)' },
        servername: { type: 'string' },
        reject_unauthorized: { type: 'boolean', default: true, description: 'also accepted as rejectUnauthorized' },
      },
    },
  },
};

export const PATCH_SINK_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['enabled'],
  additionalProperties: false,
  properties: { enabled: { type: 'boolean', description: 'pause or resume export; resuming retries at once' } },
};

const DEAD_LETTER_SCHEMA: SchemaObject = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    sink_id: { type: 'string', format: 'uuid' },
    record_id: { type: 'string', format: 'uuid' },
    sequence: { type: 'integer' },
    attempts: { type: 'integer' },
    error: { type: 'string' },
    created_at: dateTime,
    replay_requested_at: { ...dateTime, nullable: true },
  },
};

export const DEAD_LETTER_PAGE_SCHEMA: SchemaObject = {
  type: 'object',
  properties: { items: { type: 'array', items: DEAD_LETTER_SCHEMA }, next_cursor: { type: 'string', nullable: true } },
};

export const REPLAY_SCHEMA: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: { sink: { type: 'string', format: 'uuid', description: 'only this sink; default all of the tenant' } },
};
