import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pinoHttp, type HttpLogger } from 'pino-http';
import type { LevelWithSilent } from 'pino';
import type { GatehouseLogger } from './logger.js';
import { scrubUrl } from './scrub.js';

// A caller's id is echoed and logged: only a short, plain one is honoured.
const REQUEST_ID = /^[\w\-.:]{1,128}$/;
// W3C Trace Context §3.2: version-traceid-parentid-flags.
const TRACEPARENT = /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/;
// Issuer paths (/t/{tenant}/…, RFC 8414 well-known before them) and the admin API's /tenants/{tenant}/….
const TENANT = /^(?:\/\.well-known\/[\w-]+)?\/(?:t|admin\/v1\/tenants)\/([^/?#]{1,64})/;

/**
 * pino-http for one app: one line per request with method, path (secret query values
 * scrubbed), status, duration, request id, trace id and tenant; the client id is added
 * by the code that authenticates it (nestjs-pino's PinoLogger, see `bindClientId`).
 */
export function createRequestLogger(logger: GatehouseLogger): HttpLogger {
  return pinoHttp({
    logger: logger.pino,
    wrapSerializers: false,
    quietReqLogger: true,
    quietResLogger: true,
    serializers: {
      req: (req: IncomingMessage) => ({ method: req.method, url: scrubUrl(req.url ?? '') }),
      res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
    },
    genReqId: requestId,
    customLogLevel: level,
    customSuccessObject: (req, _res, value: object) => ({ ...context(req), req, ...value }),
    customErrorObject: (req, _res, _error, value: object) => ({ ...context(req), req, ...value }),
  });
}

function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('x-request-id', id);
  return id;
}

function context(req: IncomingMessage): { tenant?: string; traceId?: string } {
  const tenant = TENANT.exec(req.url ?? '')?.[1];
  const traceparent = req.headers.traceparent;
  const traceId = typeof traceparent === 'string' ? TRACEPARENT.exec(traceparent)?.[1] : undefined;
  return { ...(tenant ? { tenant } : {}), ...(traceId ? { traceId } : {}) };
}

function level(req: IncomingMessage, res: ServerResponse, error?: Error): LevelWithSilent {
  if (error || res.statusCode >= 500) return 'error';
  // Probes and scrapes every few seconds would drown the traffic that matters.
  return req.url?.startsWith('/health') ? 'debug' : 'info';
}
