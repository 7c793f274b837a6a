import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { tracing } from '@opentelemetry/sdk-node';
import Fastify, { type FastifyInstance } from 'fastify';
import { fastifyServerSpans, ScrubbingSpanProcessor } from './open-telemetry.js';
import { addServerSpanHooks, installServerSpans } from './server-spans.js';

describe('server spans on OpenTelemetry, behind a trusted proxy', () => {
  const exporter = new tracing.InMemorySpanExporter();
  const provider = new tracing.BasicTracerProvider({
    spanProcessors: [new ScrubbingSpanProcessor(new tracing.SimpleSpanProcessor(exporter))],
  });
  let app: FastifyInstance;

  before(async () => {
    installServerSpans(fastifyServerSpans(provider.getTracer('test')));
    app = Fastify({ trustProxy: ['127.0.0.1'] });
    addServerSpanHooks(app);
    app.post('/t/:tenant/token', (_request, reply) => reply.send({ ok: true }));
    await app.ready();
  });
  after(() => app.close());

  it('names the span by its route and exports the route template as it is', async () => {
    exporter.reset();
    const response = await app.inject({ method: 'POST', url: '/t/acme/token', remoteAddress: '127.0.0.1', payload: {} });
    assert.equal(response.statusCode, 200);
    const [span] = exporter.getFinishedSpans();
    assert.equal(span?.name, 'POST /t/:tenant/token');
    assert.equal(span?.attributes['http.route'], '/t/:tenant/token');
    assert.equal(span?.attributes['url.path'], '/t/acme/token');
    assert.equal(span?.attributes['http.response.status_code'], 200);
  });

  it('exports no secret a caller put in X-Forwarded-Proto or the query string', async () => {
    exporter.reset();
    await app.inject({
      method: 'POST',
      url: '/t/acme/token?code=c0de-s3cret&state=ok',
      remoteAddress: '127.0.0.1',
      headers: { 'x-forwarded-proto': 'https, access_token=t0ken-s3cret' },
      payload: {},
    });
    const [span] = exporter.getFinishedSpans();
    assert.ok(span);
    assert.equal(span.attributes['url.scheme'], 'http', 'only the two schemes are exported');
    const exported = JSON.stringify(span.attributes);
    assert.doesNotMatch(exported, /s3cret/);
    assert.match(String(span.attributes['url.query']), /state=ok/);
  });

  it('takes https from a trusted proxy', async () => {
    exporter.reset();
    await app.inject({
      method: 'POST',
      url: '/t/acme/token',
      remoteAddress: '127.0.0.1',
      headers: { 'x-forwarded-proto': 'https' },
      payload: {},
    });
    assert.equal(exporter.getFinishedSpans()[0]?.attributes['url.scheme'], 'https');
  });
});
