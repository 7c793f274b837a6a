import type { AuditEvent } from './audit-event.js';

/**
 * What the audit pipeline needs of tracing, without depending on OpenTelemetry: the current span's
 * W3C traceparent when an event is written, and spans for the worker's processing of events whose
 * traceparents it carries. Off (no tracing configured) it costs one function call per write; the
 * OpenTelemetry bootstrap (libs/observability, docs/adr/0013) installs the real one.
 */
export interface AuditTraceBridge {
  current(): string | undefined;
  /** Runs `work` with one child span per distinct traceparent, so each request's trace shows its record. */
  inChildSpans<T>(name: string, traceparents: readonly (string | undefined)[], work: () => Promise<T>): Promise<T>;
  /** BullMQ's own telemetry (bullmq-otel) for the audit queue's producer and worker; absent when off. */
  readonly queueTelemetry?: unknown;
}

const OFF: AuditTraceBridge = { current: () => undefined, inChildSpans: (_name, _parents, work) => work() };
let bridge: AuditTraceBridge = OFF;

export function installAuditTraceBridge(installed: AuditTraceBridge): void {
  bridge = installed;
}

/** The current span's traceparent, for the events being written now; undefined when tracing is off. */
export function currentTraceContext(): string | undefined {
  return bridge.current();
}

/** The `telemetry` option of the audit queue's BullMQ Queue and Worker: undefined when tracing is off. */
export function auditQueueTelemetry(): unknown {
  return bridge.queueTelemetry;
}

export function inAuditSpans<T>(name: string, events: readonly AuditEvent[], work: () => Promise<T>): Promise<T> {
  return bridge.inChildSpans(
    name,
    events.map((event) => event.traceContext),
    work,
  );
}
