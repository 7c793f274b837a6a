// BatchSpans on OpenTelemetry (batch-spans.ts); loaded with the SDK, only when tracing is on.
import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, TraceFlags, type SpanContext, type Tracer } from '@opentelemetry/api';
import type { BatchCaller, BatchSpans } from './batch-spans.js';

/** BatchSpans on OpenTelemetry: a caller is its span context. */
export function batchSpans(tracer: Tracer): BatchSpans {
  return {
    caller: () => trace.getSpan(context.active())?.spanContext() as BatchCaller | undefined,
    async run(name, attributes, callers, work, failureOf) {
      // Only sampled requests are parent or links: an unsampled parent would leave the span unrecorded.
      const bySpan = new Map<string, SpanContext>();
      for (const caller of callers as readonly (SpanContext | undefined)[])
        if (caller && (caller.traceFlags & TraceFlags.SAMPLED) !== 0) bySpan.set(caller.spanId, caller);
      const [parent, ...others] = bySpan.values();
      // Under no span at all, so the instrumented client inside (requireParentSpan) adds none per command,
      // whatever context the batch inherited from an earlier request.
      if (!parent) return context.with(ROOT_CONTEXT, work);
      const span = tracer.startSpan(
        name,
        {
          kind: SpanKind.CLIENT,
          attributes: { ...attributes, 'gatehouse.batch.size': callers.length },
          links: others.map((other) => ({ context: other })),
        },
        trace.setSpanContext(ROOT_CONTEXT, parent),
      );
      try {
        const result = await context.with(ROOT_CONTEXT, work);
        let failure: string | undefined;
        try {
          failure = failureOf?.(result);
        } catch {
          failure = 'the batch result could not be read';
        }
        if (failure !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: failure });
        return result;
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
        throw error;
      } finally {
        span.end();
      }
    },
  };
}
