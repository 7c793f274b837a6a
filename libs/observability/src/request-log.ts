import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { GatehouseLogger } from './logger.js';
import { scrubUrl } from './scrub.js';
import { serverTraceId } from './tracing/server-spans.js';

// A caller's id is echoed and logged: only a short, plain one is honoured.
const REQUEST_ID = /^[\w\-.:]{1,128}$/;
// W3C Trace Context §3.2: version-traceid-parentid-flags.
const TRACEPARENT = /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/;
// Issuer paths (/t/{tenant}/…, RFC 8414 well-known before them) and the admin API's /tenants/{tenant}/….
const TENANT = /^(?:\/\.well-known\/[\w-]+)?\/(?:t|admin\/v1\/tenants)\/([^/?#]{1,64})/;

/** What the code handling a request adds to its line: the client it authenticated. */
export interface RequestNotes {
  clientId?: string;
}

const notesByRequest = new WeakMap<object, RequestNotes>();

/** The notes of one request (created on first use); pass them to the code that learns the client. */
export function requestNotes(request: FastifyRequest): RequestNotes {
  let notes = notesByRequest.get(request);
  if (!notes) {
    notes = {};
    notesByRequest.set(request, notes);
  }
  return notes;
}

/** Fastify's genReqId: the caller's X-Request-Id when it is short and plain, a UUID otherwise. */
export function requestId(raw: IncomingMessage): string {
  const given = raw.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * One line per request, written when the response is finished (a Fastify onResponse hook: no
 * middleware chain, no async context, no child logger per request; docs/adr/0013): method,
 * path with secret query values scrubbed, status, duration, request id, trace id, tenant and
 * the client the handler authenticated.
 */
export function logRequest(logger: GatehouseLogger, request: FastifyRequest, reply: FastifyReply): void {
  const status = reply.statusCode;
  // Probes and scrapes every few seconds would drown the traffic that matters.
  const level = status >= 500 ? 'error' : request.url.startsWith('/health') ? 'debug' : 'info';
  if (!logger.pino.isLevelEnabled(level)) return;
  const tenant = TENANT.exec(request.url)?.[1];
  const traceparent = request.headers.traceparent;
  const traceId = serverTraceId(request) ?? (typeof traceparent === 'string' ? TRACEPARENT.exec(traceparent)?.[1] : undefined);
  const clientId = notesByRequest.get(request)?.clientId;
  logger.pino[level](
    {
      reqId: request.id,
      ...(tenant ? { tenant } : {}),
      ...(traceId ? { traceId } : {}),
      ...(clientId ? { clientId } : {}),
      req: { method: request.method, url: scrubUrl(request.url) },
      res: { statusCode: status },
      responseTime: Math.round(reply.elapsedTime),
    },
    status >= 500 ? 'request errored' : 'request completed',
  );
}
