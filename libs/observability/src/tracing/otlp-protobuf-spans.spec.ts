import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, TraceFlags, type Attributes, type SpanContext } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { core, resources, tracing } from '@opentelemetry/sdk-node';
import { seededRandom } from '../../../../test/support/seeded-random.js';
import { encodeTraceExportRequest } from './otlp-protobuf-spans.js';

type ReadableSpan = tracing.ReadableSpan;

/** The reference serializer's bytes, which the encoder must reproduce exactly. */
function assertSameBytes(spans: ReadableSpan[]): void {
  const reference = ProtobufTraceSerializer.serializeRequest(spans);
  assert.ok(reference);
  const encoded = encodeTraceExportRequest(spans);
  assert.equal(encoded.length, reference.length, 'length');
  assert.ok(Buffer.from(encoded).equals(Buffer.from(reference)), 'the same bytes as ProtobufTraceSerializer');
}

function recorder(resource = resources.resourceFromAttributes({ 'service.name': 'gatehouse-auth', 'process.pid': 4242 })) {
  const exporter = new tracing.InMemorySpanExporter();
  const provider = new tracing.BasicTracerProvider({ resource, spanProcessors: [new tracing.SimpleSpanProcessor(exporter)] });
  return { provider, finished: () => exporter.getFinishedSpans() };
}

/** A plain ReadableSpan with the template's members (the SDK's are getters) and the given ones over them. */
function handMade(template: ReadableSpan, overrides: Partial<Record<keyof ReadableSpan, unknown>>): ReadableSpan {
  const context = template.spanContext();
  return {
    name: template.name,
    kind: template.kind,
    spanContext: () => context,
    parentSpanContext: template.parentSpanContext,
    startTime: template.startTime,
    endTime: template.endTime,
    status: template.status,
    attributes: template.attributes,
    links: template.links,
    events: template.events,
    duration: template.duration,
    ended: template.ended,
    resource: template.resource,
    instrumentationScope: template.instrumentationScope,
    droppedAttributesCount: template.droppedAttributesCount,
    droppedEventsCount: template.droppedEventsCount,
    droppedLinksCount: template.droppedLinksCount,
    ...overrides,
  } as ReadableSpan;
}

const remoteParent: SpanContext = {
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  traceFlags: TraceFlags.SAMPLED,
  isRemote: true,
  traceState: new core.TraceState('vendor=opaque,other=1'),
};

describe('encodeTraceExportRequest', () => {
  it("writes a token request's server span exactly as the reference serializer does", () => {
    const { provider, finished } = recorder();
    const tracer = provider.getTracer('gatehouse-http');
    for (let i = 0; i < 3; i++) {
      const span = tracer.startSpan('POST /t/:tenant/oauth2/token', {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': 'POST',
          'url.path': '/t/acme/oauth2/token',
          'url.scheme': 'http',
          'client.address': '127.0.0.1',
          'network.protocol.version': '1.1',
          'http.route': '/t/:tenant/oauth2/token',
        },
      });
      span.setAttribute('http.response.status_code', 200);
      span.end();
    }
    assertSameBytes(finished());
  });

  it('every attribute type, events, links, error status, a remote parent with trace state, unsampled flags', () => {
    const { provider, finished } = recorder();
    const tracer = provider.getTracer('gatehouse', '1.2.3', { schemaUrl: 'https://opentelemetry.io/schemas/1.30.0' });
    const context = tracer.startSpan('unused').spanContext();
    const span = tracer.startSpan(
      'pipeline',
      {
        kind: SpanKind.CLIENT,
        attributes: {
          text: 'plain',
          unicode: 'çé — 東京 😀',
          loneSurrogate: 'a\ud800b',
          empty: '',
          long: 'x'.repeat(300),
          zero: 0,
          small: 7,
          negative: -42,
          wide: 2 ** 40 + 3,
          huge: 2 ** 60,
          hugeNegative: -(2 ** 55),
          fraction: 3.25,
          notFinite: Number.POSITIVE_INFINITY,
          yes: true,
          no: false,
          strings: ['a', 'é', ''],
          numbers: [1, -1, 2.5],
          flags: [true, false],
          holes: ['a', null, undefined, 'b'] as string[],
        },
        links: [
          { context: remoteParent, attributes: { 'link.kind': 'caller', weight: 2 } },
          { context: { ...context, traceFlags: TraceFlags.NONE } },
        ],
      },
      under(remoteParent),
    );
    span.addEvent('retry', { attempt: 2, reason: 'timeout' });
    span.addEvent('plain');
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'the batch failed: «connection reset»' });
    span.end();
    const unsampled = tracer.startSpan('unsampled', {}, under({ ...remoteParent, traceFlags: TraceFlags.NONE, isRemote: false }));
    unsampled.end();
    const ok = tracer.startSpan('ok', { kind: SpanKind.INTERNAL });
    ok.setStatus({ code: SpanStatusCode.OK });
    ok.end();
    assertSameBytes(finished());
  });

  it('spans of several resources and instrumentation scopes, grouped in first-seen order', () => {
    const first = recorder(resources.resourceFromAttributes({ 'service.name': 'gatehouse-auth' }));
    const second = recorder(
      resources.resourceFromAttributes(
        { 'service.name': 'gatehouse-worker', 'deployment.environment.name': 'bench' },
        { schemaUrl: 'https://opentelemetry.io/schemas/1.26.0' },
      ),
    );
    const spans: ReadableSpan[] = [];
    for (const [name, { provider, finished }] of [
      ['a', first],
      ['b', second],
      ['c', first],
    ] as const) {
      for (const scope of ['gatehouse', 'gatehouse-http', 'bullmq']) provider.getTracer(scope).startSpan(`${name} ${scope}`).end();
      spans.push(...finished());
    }
    assertSameBytes(spans);
  });

  it('lengths past one and two bytes of varint: a span of 20 kB and a request of megabytes', () => {
    const { provider, finished } = recorder();
    const tracer = provider.getTracer('gatehouse');
    const big = 'q'.repeat(20_000);
    for (let i = 0; i < 130; i++) tracer.startSpan('big', { attributes: { 'url.query': `${i}=${big}` } }).end();
    for (let i = 0; i < 5; i++) tracer.startSpan('unicode', { attributes: { note: 'é'.repeat(100 + i * 40) } }).end();
    const spans = finished();
    assert.ok(ProtobufTraceSerializer.serializeRequest(spans)!.length > 2_097_152, 'a length needing four varint bytes');
    assertSameBytes(spans);
  });

  it('attribute values only a hand-made span carries: bytes, key-value lists, null', () => {
    const { provider, finished } = recorder();
    provider.getTracer('gatehouse').startSpan('template').end();
    const [template] = finished();
    const crafted = handMade(template!, {
      attributes: {
        bytes: new Uint8Array([0, 1, 255]),
        map: { nested: 'yes', count: 3, deeper: { list: [1, 'two'] } },
        nothing: null,
      },
      kind: undefined,
    });
    assertSameBytes([crafted]);
  });

  it('what only a malformed span carries: ids of odd length, a name and a version that are not strings, kind -1', () => {
    const { provider, finished } = recorder();
    provider.getTracer('gatehouse').startSpan('template').end();
    const [template] = finished();
    const context = template!.spanContext();
    const crafted = handMade(template!, {
      name: 42,
      kind: -1,
      spanContext: () => ({ ...context, traceId: '0af76519f' }),
      instrumentationScope: { name: 'gatehouse', version: 3 as unknown as string },
      links: [{ context: { ...context, spanId: 'abc' }, attributes: {} }],
    });
    assertSameBytes([crafted]);
  });

  it('dropped counts on the span, its events and links, and a scope with attributes and its own dropped count', () => {
    const { provider, finished } = recorder();
    const span = provider.getTracer('gatehouse').startSpan('template');
    span.addEvent('retry', { attempt: 1 });
    span.end();
    const [template] = finished();
    const crafted = handMade(template!, {
      droppedAttributesCount: 3,
      droppedEventsCount: 130,
      droppedLinksCount: 2,
      events: template!.events.map((event) => ({ ...event, droppedAttributesCount: 4 })),
      links: [{ context: remoteParent, attributes: { weight: 1 }, droppedAttributesCount: 5 }],
      instrumentationScope: { name: 'gatehouse', version: '1.0.0', attributes: { 'scope.kind': 'http' }, droppedAttributesCount: 6 },
    });
    assertSameBytes([crafted]);
  });

  it('randomized spans, replayable by seed', () => {
    const random = seededRandom(20261207);
    const { provider, finished } = recorder();
    const tracers = ['gatehouse', 'gatehouse-http', 'pg'].map((name) => provider.getTracer(name));
    const pick = <T>(values: readonly T[]): T => values[random(values.length)]!;
    const text = () => pick(['', 'token', 'SELECT 1', 'é', '😀 east', 'a'.repeat(random(400)), `${random(1e9) / 7}`.repeat(3)]);
    const value = () => pick([text(), random(2 ** 34) - 2 ** 33, random(1_000_000) / 1000, random(2) === 0, [text(), text()]]);
    for (let i = 0; i < 400; i++) {
      const attributes: Attributes = {};
      const count = random(8);
      for (let a = 0; a < count; a++) attributes[`attr.${random(12)}`] = value();
      const span = pick(tracers).startSpan(text() || 'span', { kind: pick([0, 1, 2, 3, 4]), attributes });
      if (random(5) === 0) span.addEvent(text(), { detail: text() });
      if (random(10) === 0) span.setStatus({ code: SpanStatusCode.ERROR, message: text() });
      span.end();
    }
    assertSameBytes(finished());
  });

  it('no spans: an empty request', () => {
    assert.equal(encodeTraceExportRequest([]).length, 0);
    assert.equal(ProtobufTraceSerializer.serializeRequest([])!.length, 0);
  });
});

/** A context whose active span is the given (possibly remote) span context. */
function under(spanContext: SpanContext) {
  return trace.setSpanContext(ROOT_CONTEXT, spanContext);
}
