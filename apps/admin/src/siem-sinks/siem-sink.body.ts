import { AdminProblem } from '../errors/admin-problem.js';
import { readBody, optionalBoolean, optionalNumber, optionalString, type JsonBody } from '../http/request-body.js';
import { CREATE_SINK_SCHEMA, PATCH_SINK_SCHEMA } from './siem-sink.openapi.js';
import type { CreateSinkInput, SinkTlsInput } from './siem-sink.service.js';

const TLS_FIELDS = new Set(['ca', 'cert', 'key', 'servername', 'rejectUnauthorized', 'reject_unauthorized']);

/** POST /siem-sinks in wire names → the service's input. Unknown members are refused: a typo must not silently drop a setting. */
export function parseCreateSinkBody(body: unknown): Omit<CreateSinkInput, 'tenant' | 'actor'> {
  const input = readBody(CREATE_SINK_SCHEMA, body, { member: 'a sink setting' });
  return {
    name: optionalString(input, 'name'),
    type: optionalString(input, 'type'),
    url: optionalString(input, 'url'),
    format: optionalString(input, 'format'),
    token: optionalString(input, 'token'),
    secret: optionalString(input, 'secret'),
    ackEnabled: optionalBoolean(input, 'ack_enabled'),
    maxAttempts: optionalNumber(input, 'max_attempts'),
    tls: parseTls(input['tls']),
  };
}

/** PATCH /siem-sinks/{id}: only `enabled` changes; a new configuration is a new sink. */
export function parseSinkPatch(body: unknown): boolean {
  return readBody(PATCH_SINK_SCHEMA, body, { member: 'a sink setting' })['enabled'] === true;
}

function parseTls(value: unknown): SinkTlsInput | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw new AdminProblem('validation_failed', 'tls must be an object', 'tls');
  const tls = value as JsonBody;
  refuseUnknown(tls, TLS_FIELDS, 'tls.');
  const camel = tls['rejectUnauthorized'];
  const snake = tls['reject_unauthorized'];
  if (camel !== undefined && snake !== undefined && camel !== snake)
    throw new AdminProblem('validation_failed', 'tls.reject_unauthorized and tls.rejectUnauthorized disagree', 'tls.reject_unauthorized');
  const tlsField = (field: string): string | undefined => {
    const item = tls[field];
    if (item === undefined || item === null) return undefined;
    if (typeof item !== 'string') throw new AdminProblem('validation_failed', `tls.${field} must be a string`, `tls.${field}`);
    return item;
  };
  const reject = camel ?? snake;
  if (reject !== undefined && typeof reject !== 'boolean')
    throw new AdminProblem('validation_failed', 'tls.reject_unauthorized must be a boolean', 'tls.reject_unauthorized');
  return {
    ca: tlsField('ca'),
    cert: tlsField('cert'),
    key: tlsField('key'),
    servername: tlsField('servername'),
    rejectUnauthorized: reject,
  };
}

function refuseUnknown(input: JsonBody, known: ReadonlySet<string>, prefix: string): void {
  const unknown = Object.keys(input).find((key) => !known.has(key));
  if (unknown !== undefined)
    throw new AdminProblem('validation_failed', `${prefix}${unknown} is not a sink setting`, `${prefix}${unknown}`);
}
