import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SpanStatusCode, TraceFlags, type SpanContext } from '@opentelemetry/api';
import { tracing } from '@opentelemetry/sdk-node';
import type { BatchCaller } from './batch-spans.js';
import { batchSpans } from './otel-batch-spans.js';

function recorder() {
  const exporter = new tracing.InMemorySpanExporter();
  const provider = new tracing.BasicTracerProvider({ spanProcessors: [new tracing.SimpleSpanProcessor(exporter)] });
  return { spans: batchSpans(provider.getTracer('test')), finished: () => exporter.getFinishedSpans() };
}

let next = 0;
function caller(sampled: boolean): SpanContext {
  next += 1;
  return {
    traceId: next.toString(16).padStart(32, '0'),
    spanId: next.toString(16).padStart(16, '0'),
    traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
  };
}
const asCallers = (contexts: (SpanContext | undefined)[]) => contexts as (BatchCaller | undefined)[];

describe('batch spans on OpenTelemetry', () => {
  it('one span per batch: the child of the first sampled request, linked to the other sampled ones', async () => {
    const { spans, finished } = recorder();
    const [unsampled, first, second] = [caller(false), caller(true), caller(true)];
    const answer = await spans.run('pipeline', { 'db.system': 'redis' }, asCallers([unsampled, first, undefined, second, first]), () =>
      Promise.resolve('done'),
    );
    assert.equal(answer, 'done');
    const [span, ...more] = finished();
    assert.ok(span);
    assert.equal(more.length, 0);
    assert.equal(span.spanContext().traceId, first.traceId, "in the first sampled request's trace");
    assert.equal(span.parentSpanContext?.spanId, first.spanId);
    assert.deepEqual(
      span.links.map((link) => link.context.spanId),
      [second.spanId],
      'linked once to each other sampled request, never to an unsampled one',
    );
    assert.equal(span.attributes['gatehouse.batch.size'], 5);
    assert.equal(span.attributes['db.system'], 'redis');
  });

  it('no span when no request in the batch is sampled; the work still runs', async () => {
    const { spans, finished } = recorder();
    assert.equal(await spans.run('pipeline', {}, asCallers([caller(false), undefined]), () => Promise.resolve(7)), 7);
    assert.equal(finished().length, 0);
  });

  it('a failed batch ends its span as an error and fails the caller', async () => {
    const { spans, finished } = recorder();
    await assert.rejects(
      spans.run('pipeline', {}, asCallers([caller(true)]), () => Promise.reject(new Error('connection reset'))),
      /connection reset/,
    );
    assert.equal(finished()[0]?.status.code, SpanStatusCode.ERROR);
  });

  it("a batch that resolves with failed parts (a pipeline's per-command errors) ends as an error when failureOf says so", async () => {
    const { spans, finished } = recorder();
    const failureOf = (replies: (string | Error)[]) => {
      const failed = replies.filter((reply) => reply instanceof Error).length;
      return failed > 0 ? `${failed} of ${replies.length} commands failed` : undefined;
    };
    const mixed = await spans.run('pipeline', {}, asCallers([caller(true)]), () => Promise.resolve(['1', new Error('OOM')]), failureOf);
    assert.equal(mixed.length, 2, 'the result is the caller’s to read');
    await spans.run('pipeline', {}, asCallers([caller(true)]), () => Promise.resolve(['1', '2']), failureOf);
    const [failed, fine] = finished();
    assert.deepEqual([failed?.status.code, failed?.status.message], [SpanStatusCode.ERROR, '1 of 2 commands failed']);
    assert.equal(fine?.status.code, SpanStatusCode.UNSET);
  });
});
