// Loaded only when tracing is on (start-tracing.ts): the one module that imports OpenTelemetry's SDK.
import {
  context,
  defaultTextMapGetter,
  INVALID_SPANID,
  INVALID_TRACEID,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { core, NodeSDK, tracing } from '@opentelemetry/sdk-node';
import { BullMQOtel } from 'bullmq-otel';
import type { FastifyRequest } from 'fastify';
import { installAuditTraceBridge } from '@gatehouse/audit';
import { scrub } from '../scrub.js';
import { installBatchSpans } from './batch-spans.js';
import { batchSpans } from './otel-batch-spans.js';
import { installServerSpans, SERVER_SPAN, type ServerSpans } from './server-spans.js';
import { asyncLocalStorageOnFrames, PromiseContextManager } from './promise-context-manager.js';
import { PooledIdGenerator } from './pooled-id-generator.js';
import { otlpSpanExporter } from './span-exporter.js';

// Attributes Gatehouse sets from route templates and fixed vocabularies, never from what a caller sent:
// nothing in them to scrub (a route template's `:tenant` would only send it down the slow path).
const VERBATIM = new Set(['http.request.method', 'http.route', 'url.scheme', 'network.protocol.version']);

/**
 * Scrubs every other string attribute of a finished span the way log lines are scrubbed (a code, token
 * or secret in a URL, a statement or an error message), then hands it to the batch exporter.
 */
export class ScrubbingSpanProcessor implements tracing.SpanProcessor {
  constructor(private readonly next: tracing.SpanProcessor) {}

  onStart(span: tracing.Span, parentContext: Context): void {
    this.next.onStart(span, parentContext);
  }

  onEnd(span: tracing.ReadableSpan): void {
    const attributes = span.attributes as Record<string, unknown>;
    for (const key in attributes) {
      const value = attributes[key];
      if (typeof value === 'string' && !VERBATIM.has(key)) attributes[key] = scrub(value);
    }
    this.next.onEnd(span);
  }

  forceFlush(): Promise<void> {
    return this.next.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.next.shutdown();
  }
}

export function startOpenTelemetry(serviceName: string): () => Promise<void> {
  const sdk = new NodeSDK({
    serviceName,
    // Before Node 24 AsyncLocalStorage rides on async_hooks, a cost every promise pays (bench/RESULTS.md, issue 14).
    ...(asyncLocalStorageOnFrames() ? {} : { contextManager: new PromiseContextManager() }),
    // Traces only. Left to its defaults the SDK would also start OTLP metrics (a histogram per query from the
    // pg instrumentation) and logs pipelines; Gatehouse's metrics are Prometheus (/metrics), its logs pino.
    // An operator who sets OTEL_METRICS_EXPORTER or OTEL_LOGS_EXPORTER gets what they asked for.
    ...(process.env['OTEL_METRICS_EXPORTER'] ? {} : { metricReaders: [] }),
    ...(process.env['OTEL_LOGS_EXPORTER'] ? {} : { logRecordProcessors: [] }),
    idGenerator: new PooledIdGenerator(),
    spanProcessors: [new ScrubbingSpanProcessor(new tracing.BatchSpanProcessor(otlpSpanExporter()))],
    instrumentations: [
      // Outgoing calls only (SIEM sinks, back-channel logout): incoming requests get the cheaper
      // Fastify-hook spans below, named by route.
      new HttpInstrumentation({ disableIncomingRequestInstrumentation: true }),
      // Queries and commands inside a traced operation only, and no span per pool checkout: the spans
      // an operator reads, at a fraction of the export cost (bench/RESULTS.md, issue 14).
      new PgInstrumentation({ enhancedDatabaseReporting: false, requireParentSpan: true, ignoreConnectSpans: true }),
      // The command name only: keys and arguments (replay-cache jtis, rate-limit keys, whole EVAL scripts)
      // are neither useful in a span nor cheap to serialize and scrub.
      new IORedisInstrumentation({ requireParentSpan: true, dbStatementSerializer: (command) => command }),
    ],
  });
  sdk.start();
  const tracer = trace.getTracer('gatehouse');
  installServerSpans(fastifyServerSpans(trace.getTracer('gatehouse-http')));
  installBatchSpans(batchSpans(tracer));
  // An audit event carries a W3C traceparent whatever OTEL_PROPAGATORS says: written below, read by this
  // one propagator.
  const w3cTraceContext = new core.W3CTraceContextPropagator();
  installAuditTraceBridge({
    queueTelemetry: new BullMQOtel({ tracerName: 'bullmq' }),
    current: () => traceparentOf(context.active()),
    async inChildSpans(name, traceparents, work) {
      const parents = [...new Set(traceparents.filter((parent): parent is string => parent !== undefined))];
      const spans = parents.map((traceparent) =>
        tracer.startSpan(name, {}, w3cTraceContext.extract(context.active(), { traceparent }, defaultTextMapGetter)),
      );
      // The batch's own work (its queries) is traced under the first event's span.
      const active = spans[0] ? trace.setSpan(context.active(), spans[0]) : context.active();
      try {
        return await context.with(active, work);
      } finally {
        for (const span of spans) span.end();
      }
    },
  });
  return () => sdk.shutdown();
}

/**
 * The W3C traceparent of the context's span, as W3CTraceContextPropagator.inject writes it, without its
 * carrier object, setter and character-by-character id checks on every audited request: the ids come from
 * this SDK or from a traceparent the propagator validated on the way in, so only the all-zero (invalid)
 * ids are refused. Trace flags are always two hex digits (inject writes three from 0x10 up).
 */
export function traceparentOf(active: Context): string | undefined {
  const spanContext = trace.getSpanContext(active);
  if (!spanContext || core.isTracingSuppressed(active)) return undefined;
  const { traceId, spanId, traceFlags } = spanContext;
  if (traceId === INVALID_TRACEID || spanId === INVALID_SPANID) return undefined;
  return `00-${traceId}-${spanId}-${(traceFlags & 0xff).toString(16).padStart(2, '0')}`;
}

type Traced = { span: Span; context: Context };
/** The request's SERVER_SPAN slot (declared by addServerSpanHooks), typed for this module. */
const withServerSpan = (request: FastifyRequest) => request as FastifyRequest & { [SERVER_SPAN]?: Traced | null };

/** ServerSpans on OpenTelemetry: each request's span and its context, kept on the request (SERVER_SPAN). */
export function fastifyServerSpans(tracer: Tracer): ServerSpans {
  return {
    start(request) {
      const { method, url } = request;
      const route = request.routeOptions.url;
      const query = url.indexOf('?');
      const attributes: Attributes = {
        'http.request.method': method,
        'url.path': query === -1 ? url : url.slice(0, query),
        // From X-Forwarded-Proto behind a trusted proxy: only the two schemes, so it can stay unscrubbed.
        'url.scheme': request.protocol === 'https' ? 'https' : 'http',
        'client.address': request.ip,
        'network.protocol.version': request.raw.httpVersion,
      };
      if (route) attributes['http.route'] = route;
      // Scrubbed with the other attributes when the span ends (ScrubbingSpanProcessor).
      if (query !== -1) attributes['url.query'] = url.slice(query + 1);
      const span = tracer.startSpan(
        route ? `${method} ${route}` : method,
        { kind: SpanKind.SERVER, attributes },
        propagation.extract(ROOT_CONTEXT, request.headers),
      );
      withServerSpan(request)[SERVER_SPAN] = { span, context: trace.setSpan(ROOT_CONTEXT, span) };
    },
    activate(request, next) {
      const traced = withServerSpan(request)[SERVER_SPAN];
      if (traced) context.with(traced.context, next);
      else next();
    },
    end(request, reply) {
      const traced = withServerSpan(request)[SERVER_SPAN];
      if (!traced) return;
      withServerSpan(request)[SERVER_SPAN] = null;
      if (reply) {
        traced.span.setAttribute('http.response.status_code', reply.statusCode);
        if (reply.statusCode >= 500) traced.span.setStatus({ code: SpanStatusCode.ERROR });
      } else {
        traced.span.setStatus({ code: SpanStatusCode.ERROR, message: 'request aborted' });
      }
      traced.span.end();
    },
    traceId(request) {
      return withServerSpan(request)[SERVER_SPAN]?.span.spanContext().traceId;
    },
  };
}
