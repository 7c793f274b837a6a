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

  /** One POST from the trusted proxy's address, and the span it made. */
  async function post(url: string, headers: Record<string, string> = {}) {
    exporter.reset();
    const response = await app.inject({ method: 'POST', url, remoteAddress: '127.0.0.1', headers, payload: {} });
    const [span] = exporter.getFinishedSpans();
    assert.ok(span, `no span for ${url}`);
    return { response, span };
  }

  it('names the span by its route and exports the route template as it is', async () => {
    const { response, span } = await post('/t/acme/token');
    assert.equal(response.statusCode, 200);
    assert.equal(span.name, 'POST /t/:tenant/token');
    assert.equal(span.attributes['http.route'], '/t/:tenant/token');
    assert.equal(span.attributes['url.path'], '/t/acme/token');
    assert.equal(span.attributes['http.response.status_code'], 200);
  });

  it('exports no secret a caller put in X-Forwarded-Proto or the query string', async () => {
    const { span } = await post('/t/acme/token?code=c0de-s3cret&state=ok', { 'x-forwarded-proto': 'https, access_token=t0ken-s3cret' });
    assert.equal(span.attributes['url.scheme'], 'http', 'only the two schemes are exported');
    assert.doesNotMatch(JSON.stringify(span.attributes), /s3cret/);
    assert.match(String(span.attributes['url.query']), /state=ok/);
  });

  it('takes https from a trusted proxy', async () => {
    const { span } = await post('/t/acme/token', { 'x-forwarded-proto': 'https' });
    assert.equal(span.attributes['url.scheme'], 'https');
  });
});
