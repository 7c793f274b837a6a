import { OTLPTraceExporter as OtlpHttpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPExporterBase } from '@opentelemetry/otlp-exporter-base';
import { convertLegacyHttpOptions, createOtlpHttpExportDelegate } from '@opentelemetry/otlp-exporter-base/node-http';
import { ProtobufTraceSerializer, TraceExporterMetricsHelper } from '@opentelemetry/otlp-transformer';
import type { tracing } from '@opentelemetry/sdk-node';
import { encodeTraceExportRequest } from './otlp-protobuf-spans.js';

export type OtlpProtocol = 'http/protobuf' | 'http/json';

/**
 * The OTLP protocol the standard variables ask for: OTEL_EXPORTER_OTLP_TRACES_PROTOCOL, then
 * OTEL_EXPORTER_OTLP_PROTOCOL, then the specification's default, http/protobuf. gRPC is not offered
 * (the config schema refuses it), so an unknown value never silently means another protocol.
 */
export function otlpProtocol(env: NodeJS.ProcessEnv = process.env): OtlpProtocol {
  const given = (env['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'] ?? env['OTEL_EXPORTER_OTLP_PROTOCOL'] ?? '').trim();
  return given === 'http/json' ? 'http/json' : 'http/protobuf';
}

/** The span exporter for that protocol; each reads its endpoint, headers and timeout from the OTEL_* variables. */
export function otlpSpanExporter(env: NodeJS.ProcessEnv = process.env): tracing.SpanExporter {
  return otlpProtocol(env) === 'http/json' ? new OtlpHttpJsonExporter() : new OtlpHttpProtobufSpanExporter();
}

/**
 * @opentelemetry/exporter-trace-otlp-proto's exporter, assembled from the same parts (endpoint, headers,
 * timeout and compression from the OTEL_* variables, the built-in retries, the same self-observability component), with
 * Gatehouse's one-pass protobuf encoder in place of the reference serializer (otlp-protobuf-spans.ts).
 */
class OtlpHttpProtobufSpanExporter extends OTLPExporterBase<tracing.ReadableSpan[]> implements tracing.SpanExporter {
  constructor() {
    super(
      createOtlpHttpExportDelegate(
        convertLegacyHttpOptions({}, 'TRACES', 'v1/traces', { 'Content-Type': 'application/x-protobuf' }),
        { serializeRequest: encodeTraceExportRequest, deserializeResponse: (data) => ProtobufTraceSerializer.deserializeResponse(data) },
        // The reference exporter's component type (its semconv.js), for the SDK's self-observability metrics.
        'otlp_http_span_exporter',
        TraceExporterMetricsHelper,
        undefined,
      ),
    );
  }
}
