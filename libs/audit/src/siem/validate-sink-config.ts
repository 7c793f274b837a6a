import { isPrivateHost } from '@gatehouse/protocol';
import { isLoopbackHost } from './loopback.js';
import {
  FORMATS_BY_TYPE,
  MAX_SINK_ATTEMPTS,
  MIN_WEBHOOK_SECRET_LENGTH,
  SIEM_FORMATS,
  SIEM_SINK_TYPES,
  type SiemFormat,
  type SiemSinkConfig,
  type SiemSinkType,
  type SiemTlsOptions,
  type SinkConfigProblem,
} from './sink-config.js';

export type SinkConfigValidation =
  { readonly ok: true; readonly config: SiemSinkConfig } | { readonly ok: false; readonly problems: readonly SinkConfigProblem[] };

/**
 * Checks a sink configuration from the admin API or the CLI and lists every problem by field,
 * so one answer tells the caller all that must change.
 */
export interface SinkValidationOptions {
  /** Operator setting SIEM_ALLOW_PRIVATE_TARGETS: sinks may point at loopback and private addresses. */
  readonly allowPrivateTargets?: boolean;
}

export function validateSiemSinkConfig(input: unknown, options: SinkValidationOptions = {}): SinkConfigValidation {
  const problems: SinkConfigProblem[] = [];
  const problem = (field: string, message: string): void => void problems.push({ field, message });
  if (input === null || typeof input !== 'object' || Array.isArray(input))
    return { ok: false, problems: [{ field: '', message: 'must be an object' }] };
  const raw = input as Record<string, unknown>;

  for (const field of ['id', 'tenantId'] as const) {
    if (typeof raw[field] !== 'string' || raw[field] === '') problem(field, 'is required');
  }
  const type = raw['type'];
  const typeOk = typeof type === 'string' && (SIEM_SINK_TYPES as readonly string[]).includes(type);
  if (!typeOk) problem('type', `must be one of ${SIEM_SINK_TYPES.join(', ')}`);
  const format = raw['format'];
  if (typeof format !== 'string' || !(SIEM_FORMATS as readonly string[]).includes(format)) {
    problem('format', `must be one of ${SIEM_FORMATS.join(', ')}`);
  } else if (typeOk && !FORMATS_BY_TYPE[type as SiemSinkType].includes(format as SiemFormat)) {
    problem('format', `a ${String(type)} sink takes ${FORMATS_BY_TYPE[type as SiemSinkType].join(' or ')}`);
  }
  if (typeof raw['url'] !== 'string') problem('url', 'is required');
  else if (typeOk) checkUrl(type as SiemSinkType, raw['url'], problem, options.allowPrivateTargets ?? false);

  const maxAttempts = raw['maxAttempts'];
  if (typeof maxAttempts !== 'number' || !Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > MAX_SINK_ATTEMPTS) {
    problem('maxAttempts', `must be an integer from 1 to ${MAX_SINK_ATTEMPTS}`);
  }
  const token = raw['token'];
  if (type === 'splunk-hec') {
    if (typeof token !== 'string' || token.trim() === '') problem('token', 'is required for a splunk-hec sink');
    else if (!/^[\x21-\x7e]+$/.test(token)) problem('token', 'must be printable ASCII without spaces');
  } else if (token !== undefined) problem('token', 'is only used by splunk-hec sinks');
  const secret = raw['secret'];
  if (type === 'webhook') {
    if (typeof secret !== 'string' || secret.length < MIN_WEBHOOK_SECRET_LENGTH) {
      problem('secret', `is required for a webhook sink, at least ${MIN_WEBHOOK_SECRET_LENGTH} characters`);
    }
  } else if (secret !== undefined) problem('secret', 'is only used by webhook sinks');
  const ack = raw['ackEnabled'];
  if (ack !== undefined && typeof ack !== 'boolean') problem('ackEnabled', 'must be a boolean');
  else if (ack === true && type !== 'splunk-hec') problem('ackEnabled', 'is only used by splunk-hec sinks');
  if (raw['tls'] !== undefined)
    checkTls(raw['tls'], type === 'syslog' && typeof raw['url'] === 'string' && raw['url'].startsWith('tls://'), problem);

  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, config: input as SiemSinkConfig };
}

function checkUrl(type: SiemSinkType, value: string, problem: (field: string, message: string) => void, allowPrivate: boolean): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problem('url', 'is not a URL');
    return;
  }
  if (url.username || url.password) return problem('url', 'must not carry credentials; use token or secret');
  if (url.hash) return problem('url', 'must not have a fragment');
  // A tenant admin must not reach the deployment's own network through its sinks (SSRF).
  if (!allowPrivate && isPrivateHost(url.hostname))
    return problem(
      'url',
      'must be a public host (loopback and private addresses need SIEM_ALLOW_PRIVATE_TARGETS=true or OUTBOUND_ALLOW_PRIVATE_TARGETS=true)',
    );
  if (type === 'syslog') {
    const ok =
      (url.protocol === 'tcp:' || url.protocol === 'tls:') &&
      url.hostname !== '' &&
      url.port !== '' &&
      (url.pathname === '' || url.pathname === '/') &&
      !url.search;
    if (!ok) problem('url', 'must be tcp://host:port or tls://host:port');
    return;
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) return problem('url', 'must be https:// (http:// only to loopback)');
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return problem('url', 'must be https://');
  if (type === 'splunk-hec' && ((url.pathname !== '' && url.pathname !== '/') || url.search)) {
    problem('url', 'must be the collector base URL, e.g. https://splunk.example:8088 (paths are added)');
  }
}

function checkTls(value: unknown, applies: boolean, problem: (field: string, message: string) => void): void {
  if (!applies) return problem('tls', 'is only used by syslog sinks with a tls:// URL');
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return problem('tls', 'must be an object');
  const tls = value as Record<keyof SiemTlsOptions, unknown>;
  for (const field of ['ca', 'cert', 'key', 'servername'] as const) {
    if (tls[field] !== undefined && typeof tls[field] !== 'string') problem(`tls.${field}`, 'must be a string');
  }
  for (const field of ['ca', 'cert', 'key'] as const) {
    if (typeof tls[field] === 'string' && !tls[field].includes('-----BEGIN ')) problem(`tls.${field}`, 'must be PEM');
  }
  if ((tls.cert === undefined) !== (tls.key === undefined))
    problem(tls.cert === undefined ? 'tls.cert' : 'tls.key', 'cert and key go together');
  if (tls.rejectUnauthorized !== undefined && typeof tls.rejectUnauthorized !== 'boolean')
    problem('tls.rejectUnauthorized', 'must be a boolean');
}
