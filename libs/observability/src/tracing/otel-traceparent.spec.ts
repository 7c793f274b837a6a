import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultTextMapSetter, INVALID_SPAN_CONTEXT, ROOT_CONTEXT, trace, TraceFlags, type Context } from '@opentelemetry/api';
import { core, tracing } from '@opentelemetry/sdk-node';
import { traceparentOf } from './open-telemetry.js';

const propagator = new core.W3CTraceContextPropagator();

/** What the SDK's W3C propagator writes for the context, the reference the audit traceparent must match. */
function injected(active: Context): string | undefined {
  const carrier: Record<string, string> = {};
  propagator.inject(active, carrier, defaultTextMapSetter);
  return carrier['traceparent'];
}

describe('the audit traceparent', () => {
  const tracer = new tracing.BasicTracerProvider().getTracer('test');

  it("is the W3C propagator's traceparent of the active span, sampled or not", () => {
    const sampled = trace.setSpan(ROOT_CONTEXT, tracer.startSpan('token'));
    assert.match(traceparentOf(sampled) ?? '', /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    assert.equal(traceparentOf(sampled), injected(sampled));
    const unsampled = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: TraceFlags.NONE,
      isRemote: true,
    });
    assert.equal(traceparentOf(unsampled), '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00');
    assert.equal(traceparentOf(unsampled), injected(unsampled));
  });

  it('is absent without a span, with an invalid span context and where tracing is suppressed', () => {
    assert.equal(traceparentOf(ROOT_CONTEXT), undefined);
    const invalid = trace.setSpanContext(ROOT_CONTEXT, INVALID_SPAN_CONTEXT);
    assert.equal(traceparentOf(invalid), undefined);
    assert.equal(injected(invalid), undefined);
    const suppressed = core.suppressTracing(trace.setSpan(ROOT_CONTEXT, tracer.startSpan('export')));
    assert.equal(traceparentOf(suppressed), undefined);
    assert.equal(injected(suppressed), undefined);
  });
});
