import { OTLPTraceExporter as OtlpHttpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpHttpProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { tracing } from '@opentelemetry/sdk-node';

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
  return otlpProtocol(env) === 'http/json' ? new OtlpHttpJsonExporter() : new OtlpHttpProtobufExporter();
}
