import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ValidatedClaims } from './access-token-validator.js';
import { BearerError } from './bearer-error.js';
import type { PresentedRequest } from './dpop-presentation.js';
import type { ResourceServer } from './resource-server.js';
import { tlsClientCertificate } from './tls-certificate.js';

/** A request as Node, Express and Connect give it; the validated claims are put on `auth`. */
export type ProtectedRequest = IncomingMessage & { originalUrl?: string; auth?: ValidatedClaims };
type Next = (error?: unknown) => void;

/** What the Fastify hook uses of a reply. */
export interface FastifyLikeReply {
  code(status: number): unknown;
  header(name: string, value: string): unknown;
  send(body: unknown): unknown;
}

export interface RequireTokenOptions {
  /** Every one of these must be in the token's scope (else 403 insufficient_scope). */
  readonly scopes?: readonly string[];
}

/**
 * Express/Connect-style middleware: `app.use('/orders', requireAccessToken(server, { scopes: ['orders:read'] }))`.
 * On success `req.auth` holds the claims; a refusal answers 400/401/403 with its WWW-Authenticate
 * challenge and `{error, error_description}`, and the route never runs.
 */
export function requireAccessToken(server: ResourceServer, options: RequireTokenOptions = {}) {
  return (request: ProtectedRequest, response: ServerResponse, next: Next): void => {
    server.authenticate(presentedBy(request, request.originalUrl ?? request.url ?? '/'), options.scopes).then(
      (claims) => {
        request.auth = claims;
        next();
      },
      (error: unknown) => (error instanceof BearerError ? sendRefusal(response, error) : next(error)),
    );
  };
}

/**
 * The RFC 9728 metadata document at its well-known path, for Node/Express/Connect:
 * `app.use(protectedResourceMetadataHandler(server))`; other paths go on to `next`.
 */
export function protectedResourceMetadataHandler(server: ResourceServer) {
  return (request: IncomingMessage, response: ServerResponse, next?: Next): void => {
    const metadata = server.metadata;
    const path = (request.url ?? '').split('?')[0];
    if (!metadata || path !== metadata.path || (request.method !== 'GET' && request.method !== 'HEAD')) {
      if (next) next();
      else response.writeHead(404).end();
      return;
    }
    response
      .writeHead(200, { 'content-type': 'application/json', 'cache-control': 'public, max-age=3600' })
      .end(JSON.stringify(metadata.document));
  };
}

/** The same check as a Fastify hook: `fastify.addHook('preHandler', fastifyAccessToken(server))`, claims on `request.auth`. */
export function fastifyAccessToken(server: ResourceServer, options: RequireTokenOptions = {}) {
  return async <Reply extends FastifyLikeReply>(request: { raw: IncomingMessage; url: string; auth?: ValidatedClaims }, reply: Reply) => {
    try {
      request.auth = await server.authenticate(presentedBy(request.raw, request.url), options.scopes);
      return undefined;
    } catch (error) {
      if (!(error instanceof BearerError)) throw error;
      reply.code(error.status);
      reply.header('www-authenticate', error.wwwAuthenticate);
      reply.header('cache-control', 'no-store');
      // An async Fastify hook that answers returns the reply, so the handler does not run.
      reply.send(error.toJSON());
      return reply;
    }
  };
}

function presentedBy(request: IncomingMessage, url: string): PresentedRequest {
  return {
    authorization: request.headers.authorization,
    dpop: request.headers['dpop'],
    method: request.method ?? 'GET',
    path: url,
    certificate: tlsClientCertificate(request.socket),
  };
}

function sendRefusal(response: ServerResponse, error: BearerError): void {
  response
    .writeHead(error.status, { 'content-type': 'application/json', 'www-authenticate': error.wwwAuthenticate, 'cache-control': 'no-store' })
    .end(JSON.stringify(error.toJSON()));
}
