import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Server spans made by Fastify hooks rather than by wrapping Node's HTTP server (docs/adr/0013): a
 * span per request named by its route template, its context active from the handler on, so the
 * queries, commands and audit events of the request are its children. Without OpenTelemetry this
 * module imports nothing of it, and the hooks are not added.
 */
export interface ServerSpans {
  /** Starts the request's span (the caller's traceparent as its parent). */
  start(request: FastifyRequest): void;
  /** Runs the rest of the request (body parsed: the handler) with its span as the active context. */
  activate(request: FastifyRequest, next: () => void): void;
  end(request: FastifyRequest, reply: FastifyReply | undefined): void;
  /** The trace the request's span belongs to, for its log line. */
  traceId(request: FastifyRequest): string | undefined;
}

/**
 * Where a request keeps its span while it runs: a property every request of a traced app declares
 * (so requests keep one shape), cheaper than a WeakMap entry per request, which the collector must
 * also trace as an ephemeron.
 */
export const SERVER_SPAN = Symbol('gatehouse.server-span');

let installed: ServerSpans | undefined;

/** Called once by the OpenTelemetry bootstrap, before any app is created. */
export function installServerSpans(spans: ServerSpans): void {
  installed = spans;
}

export function serverTraceId(request: FastifyRequest): string | undefined {
  return installed?.traceId(request);
}

// Probes and scrapes every few seconds are not traffic.
const UNTRACED = /^\/(health|metrics)(\/|$|\?)/;

/** Adds the span hooks to an app's Fastify instance when tracing is on; callback hooks, no promise per request. */
export function addServerSpanHooks(fastify: FastifyInstance): void {
  const spans = installed;
  if (!spans) return;
  fastify.decorateRequest(SERVER_SPAN, null);
  fastify.addHook('onRequest', (request, _reply, done) => {
    if (!UNTRACED.test(request.url)) spans.start(request);
    done();
  });
  // After the body is parsed: Fastify calls the handler synchronously from this hook's `done`.
  fastify.addHook('preHandler', (request, _reply, done) => spans.activate(request, done));
  fastify.addHook('onResponse', (request, reply, done) => {
    spans.end(request, reply);
    done();
  });
  fastify.addHook('onRequestAbort', (request, done) => {
    spans.end(request, undefined);
    done();
  });
}
