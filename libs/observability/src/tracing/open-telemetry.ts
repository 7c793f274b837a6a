// Loaded only when tracing is on (start-tracing.ts): the one module that imports OpenTelemetry's SDK.
import { context, propagation, trace, type Context } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK, tracing } from '@opentelemetry/sdk-node';
import { BullMQOtel } from 'bullmq-otel';
import { installAuditTraceBridge } from '@gatehouse/audit';
import { scrub } from '../scrub.js';

// Query parameters that carry secrets or one-time values, masked in incoming request spans.
const SECRET_QUERY_PARAMS = [
  'code',
  'state',
  'nonce',
  'id_token_hint',
  'login_hint',
  'request',
  'request_uri',
  'token',
  'access_token',
  'client_secret',
  'code_verifier',
  'user_code',
  'handle',
];

/**
 * Scrubs every string attribute of a finished span the way log lines are scrubbed (a code, token or
 * secret in a URL, a statement or an error message), then hands it to the batch exporter.
 */
class ScrubbingSpanProcessor implements tracing.SpanProcessor {
  constructor(private readonly next: tracing.SpanProcessor) {}

  onStart(span: tracing.Span, parentContext: Context): void {
    this.next.onStart(span, parentContext);
  }

  onEnd(span: tracing.ReadableSpan): void {
    const attributes = span.attributes as Record<string, unknown>;
    for (const [key, value] of Object.entries(attributes)) if (typeof value === 'string') attributes[key] = scrub(value);
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
    spanProcessors: [new ScrubbingSpanProcessor(new tracing.BatchSpanProcessor(new OTLPTraceExporter()))],
    instrumentations: [
      new HttpInstrumentation({
        redactedQueryParamsServer: SECRET_QUERY_PARAMS,
        // Probes and scrapes every few seconds are not traffic.
        ignoreIncomingRequestHook: (request) => /^\/(health|metrics)(\/|$|\?)/.test(request.url ?? ''),
      }),
      // Queries and commands inside a traced operation only, and no span per pool checkout: the spans
      // an operator reads, at a fraction of the export cost (bench/RESULTS.md, issue 14).
      new PgInstrumentation({ enhancedDatabaseReporting: false, requireParentSpan: true, ignoreConnectSpans: true }),
      new IORedisInstrumentation({ requireParentSpan: true }),
    ],
  });
  sdk.start();
  const tracer = trace.getTracer('gatehouse');
  installAuditTraceBridge({
    queueTelemetry: new BullMQOtel({ tracerName: 'bullmq' }),
    current() {
      const carrier: Record<string, string> = {};
      propagation.inject(context.active(), carrier);
      return carrier['traceparent'];
    },
    async inChildSpans(name, traceparents, work) {
      const parents = [...new Set(traceparents.filter((parent): parent is string => parent !== undefined))];
      const spans = parents.map((traceparent) => tracer.startSpan(name, {}, propagation.extract(context.active(), { traceparent })));
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
