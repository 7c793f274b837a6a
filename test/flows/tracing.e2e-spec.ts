import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as oauth from 'oauth4webapi';
import { openInfrastructure, type Infrastructure } from '@gatehouse/persistence';
import { createAdminServices } from '../../apps/admin/src/index.js';
import { signIn } from '../../apps/authorization/test/flow/code-flow.fixture.js';
import {
  createScratchPostgres,
  ENTRY_POINTS,
  freePort,
  processEnv,
  startProcess,
  testConfig,
  TestBrowser,
  uniqueSlug,
  type RunningProcess,
} from '../support/index.js';
import { PrivateRedis, privateRedisUnavailable } from '../../apps/audit-worker/test/pipeline/private-redis.js';
import { decodeOtlpTraces } from './otlp-protobuf.js';

const needs = process.env['DATABASE_URL'] && process.env['REDIS_URL'] ? false : 'needs DATABASE_URL and REDIS_URL';
const PASSWORD = 'correct horse battery staple';
const REDIRECT_URI = 'https://client.example.test/callback';
const RATE_LIMIT_SPAN = 'redis rate-limit pipeline';

interface OtlpSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly scope: string;
  readonly service: string;
  readonly attributes: Record<string, unknown>;
  /** The span ids this span links to (OTLP/JSON only). */
  readonly links: readonly string[];
}

/** An OTLP/HTTP collector on loopback (protobuf or JSON): what the apps export, flattened to spans, with each span's protocol. */
class CollectorStub {
  readonly spans: OtlpSpan[] = [];
  readonly protocols = new Map<string, string>();
  private readonly server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const protobuf = request.headers['content-type'] === 'application/x-protobuf';
      if (request.url === '/v1/traces')
        this.collect(
          protobuf ? decodeOtlpTraces(body) : (JSON.parse(body.toString()) as Record<string, unknown>),
          protobuf ? 'http/protobuf' : 'http/json',
        );
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Polls until `found` picks something from the spans collected so far. */
  async waitFor<T>(found: (spans: readonly OtlpSpan[]) => T | undefined, what: string, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const result = found(this.spans);
      if (result !== undefined) return result;
      if (Date.now() > deadline)
        assert.fail(
          `no ${what} among ${this.spans.length} spans: ${this.spans.map((s) => `${s.service}/${s.scope}/${s.name}`).join(', ')}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  private collect(body: Record<string, unknown>, protocol: string): void {
    type Attribute = { key: string; value: Record<string, unknown> };
    const values = (attributes: Attribute[] | undefined) =>
      Object.fromEntries((attributes ?? []).map(({ key, value }) => [key, Object.values(value)[0]]));
    for (const resourceSpans of (body['resourceSpans'] as Record<string, unknown>[] | undefined) ?? []) {
      const resource = values((resourceSpans['resource'] as { attributes?: Attribute[] } | undefined)?.attributes);
      for (const scopeSpans of (resourceSpans['scopeSpans'] as Record<string, unknown>[] | undefined) ?? []) {
        const scope = String((scopeSpans['scope'] as { name?: string } | undefined)?.name ?? '');
        for (const span of (scopeSpans['spans'] as Record<string, unknown>[] | undefined) ?? []) {
          this.spans.push({
            traceId: String(span['traceId']),
            spanId: String(span['spanId']),
            ...(typeof span['parentSpanId'] === 'string' && span['parentSpanId'] ? { parentSpanId: span['parentSpanId'] } : {}),
            name: String(span['name']),
            scope,
            service: String(resource['service.name']),
            attributes: values(span['attributes'] as Attribute[] | undefined),
            links: ((span['links'] as { spanId: string }[] | undefined) ?? []).map((link) => link.spanId),
          });
          this.protocols.set(String(span['spanId']), protocol);
        }
      }
    }
  }
}

const pathOf = (span: OtlpSpan): string => {
  const path = span.attributes['url.path'] ?? span.attributes['http.target'];
  return typeof path === 'string' ? path : '';
};

/** One code flow through the authorization app and the audit worker as separate processes, exporting to a collector stub. */
describe('OpenTelemetry traces (issue 14)', { skip: needs || privateRedisUnavailable }, () => {
  const collector = new CollectorStub();
  const running: RunningProcess[] = [];
  // A database and a Redis of its own: its worker would otherwise record every tenant's outbox and take
  // other suites' audit jobs off the shared queue, and theirs could take its own.
  let scratch: Awaited<ReturnType<typeof createScratchPostgres>> | undefined;
  let redis: PrivateRedis | undefined;
  let services: { DATABASE_URL: string; REDIS_URL: string };
  let infrastructure: Infrastructure;
  let origin: string;
  let collectorEndpoint: string;
  const tenant = uniqueSlug('trace');
  let clientId: string;

  before(async () => {
    const endpoint = await collector.start();
    collectorEndpoint = endpoint;
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    scratch = await createScratchPostgres();
    redis = await PrivateRedis.start();
    services = { DATABASE_URL: scratch.url, REDIS_URL: redis.url };
    const config = testConfig({ PUBLIC_URL: origin, ...services });
    infrastructure = await openInfrastructure(config);
    const admin = await createAdminServices(config, infrastructure.persistence, infrastructure.redis);
    await admin.tenants.create(tenant, 'Traced');
    await admin.users.create({ tenant, username: 'alice', password: PASSWORD });
    const { client } = await admin.clients.create({
      tenant,
      name: 'SPA',
      public: true,
      firstParty: true,
      redirectUris: [REDIRECT_URI],
      grantTypes: ['authorization_code'],
      scope: 'openid profile',
    });
    clientId = client.clientId;
    const tracing = {
      ...services,
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '100',
      PUBLIC_URL: origin,
      LOG_FORMAT: 'json',
    };
    const authorization = startProcess(ENTRY_POINTS.authorization, processEnv({ ...tracing, AUTHORIZATION_PORT: String(port) }));
    const worker = startProcess(ENTRY_POINTS.worker, processEnv(tracing));
    running.push(authorization, worker);
    await authorization.waitFor(/Authorization server listening on/);
    await worker.waitFor(/Audit worker health on/);
  });
  after(async () => {
    await Promise.all(running.map((process) => process.stop()));
    await infrastructure?.close();
    await redis?.kill();
    await scratch?.drop();
    await collector.close();
  });

  let code = '';
  let tokenTraceId = '';

  it('the authorize and token requests are server spans with their database and Redis work under them', async () => {
    const issuer = `${origin}/t/${tenant}`;
    const as = await oauth.processDiscoveryResponse(
      new URL(issuer),
      await oauth.discoveryRequest(new URL(issuer), { algorithm: 'oidc', [oauth.allowInsecureRequests]: true }),
    );
    const verifier = oauth.generateRandomCodeVerifier();
    const url = new URL(as.authorization_endpoint ?? '');
    url.search = new URLSearchParams({
      client_id: clientId,
      response_type: 'code',
      redirect_uri: REDIRECT_URI,
      scope: 'openid profile',
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    }).toString();
    const { landedAt } = await signIn(new TestBrowser(), origin, url.toString(), { username: 'alice', password: PASSWORD });
    const callback = oauth.validateAuthResponse(as, { client_id: clientId }, new URL(landedAt), oauth.skipStateCheck);
    code = callback.get('code') ?? '';
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      { client_id: clientId },
      oauth.None(),
      callback,
      REDIRECT_URI,
      verifier,
      {
        [oauth.allowInsecureRequests]: true,
      },
    );
    assert.equal(response.status, 200);

    const authorize = await collector.waitFor(
      (spans) => spans.find((span) => span.scope === 'gatehouse-http' && pathOf(span).endsWith(`/t/${tenant}/authorize`)),
      'server span for /authorize',
    );
    assert.equal(authorize.service, 'gatehouse-authorization');
    assert.equal(collector.protocols.get(authorize.spanId), 'http/json', 'OTEL_EXPORTER_OTLP_PROTOCOL=http/json is honoured');
    const token = await collector.waitFor(
      (spans) => spans.find((span) => span.scope === 'gatehouse-http' && pathOf(span) === `/t/${tenant}/token`),
      'server span for /token',
    );
    tokenTraceId = token.traceId;
    await collector.waitFor(
      (spans) => spans.find((span) => span.traceId === tokenTraceId && span.scope.includes('instrumentation-pg')),
      'a PostgreSQL span in the token request',
    );
    // The rate-limit hit travels in a Redis pipeline shared by concurrent requests: one span for it, here the
    // token request's child (it was alone), and no span per command inside it.
    const rateLimit = await collector.waitFor(
      (spans) => spans.find((span) => span.name === RATE_LIMIT_SPAN && span.parentSpanId === token.spanId),
      "the Redis pipeline carrying the token request's rate-limit hit",
    );
    assert.equal(rateLimit.traceId, tokenTraceId);
    assert.equal(rateLimit.attributes['db.system'], 'redis');
    assert.equal(
      collector.spans.some((span) => span.traceId === tokenTraceId && span.scope.includes('instrumentation-ioredis')),
      false,
      'no per-command Redis span in the token request',
    );
  });

  it('one pipeline carrying the hits of concurrent requests is one span, a child of one of them and linked to the others', async () => {
    const requests = 24;
    await Promise.all(
      Array.from({ length: requests }, async () => {
        const response = await fetch(`${origin}/t/${tenant}/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            grant_type: 'authorization_code',
            code: 'not-a-code',
            redirect_uri: REDIRECT_URI,
            client_id: clientId,
          }),
        });
        // The code-exchange limit (10 a minute per address) refuses some: each was still counted first.
        assert.ok([400, 429].includes(response.status), String(response.status));
        await response.body?.cancel();
      }),
    );
    const tokenSpans = await collector.waitFor((spans) => {
      const found = spans.filter(
        (span) => span.scope === 'gatehouse-http' && pathOf(span) === `/t/${tenant}/token` && span.traceId !== tokenTraceId,
      );
      return found.length >= requests ? found : undefined;
    }, "the concurrent token requests' spans");
    const requestIds = new Set(tokenSpans.map((span) => span.spanId));
    // Each request counts against two limits (requests per client, code exchanges per address), one hit after the other.
    const pipelines = await collector.waitFor((spans) => {
      const carrying = spans.filter((span) => span.name === RATE_LIMIT_SPAN && requestIds.has(span.parentSpanId ?? ''));
      const carried = new Set(carrying.flatMap((span) => [span.parentSpanId, ...span.links]));
      return [...requestIds].every((id) => carried.has(id)) ? carrying : undefined;
    }, 'every request carried by a pipeline span');
    for (const pipeline of pipelines) {
      assert.ok(
        pipeline.links.every((id) => requestIds.has(id)),
        'links only to the requests it carried',
      );
      assert.ok(Number(pipeline.attributes['gatehouse.batch.size']) >= 1 + pipeline.links.length);
    }
    assert.ok(
      pipelines.some((pipeline) => pipeline.links.length > 0),
      `the requests shared pipelines (${pipelines.length} spans for ${2 * requests} hits)`,
    );
  });

  it("the worker's processing of the token request's audit record is in the same trace", async () => {
    const recorded = await collector.waitFor(
      (spans) => spans.find((span) => span.name === 'audit.record' && span.traceId === tokenTraceId),
      'the worker span of the token request',
    );
    assert.equal(recorded.service, 'gatehouse-audit-worker');
    // BullMQ's own spans (bullmq-otel) for the relay's add and the worker's processing of the job.
    await collector.waitFor(
      (spans) => spans.find((span) => span.scope === 'bullmq' && span.service === 'gatehouse-audit-worker'),
      'a BullMQ span of the audit queue',
    );
  });

  it("a request's span is named by its route, its trace id is on the request's log line, and spans still batched at SIGTERM are exported before exit", async () => {
    const port = await freePort();
    const service = 'gatehouse-authorization-flush';
    const authorization = startProcess(
      ENTRY_POINTS.authorization,
      processEnv({
        ...services,
        // The protocol left to its default, http/protobuf (the code flow above exports http/json).
        OTEL_EXPORTER_OTLP_ENDPOINT: collectorEndpoint,
        // Nothing is exported on schedule during the test: only the flush at shutdown can deliver the span.
        OTEL_BSP_SCHEDULE_DELAY: '600000',
        OTEL_SERVICE_NAME: service,
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        AUTHORIZATION_PORT: String(port),
        LOG_FORMAT: 'json',
        LOG_LEVEL: 'info',
      }),
    );
    running.push(authorization);
    await authorization.waitFor(/Authorization server listening on/);
    const response = await fetch(`http://127.0.0.1:${port}/t/${tenant}/jwks`, { redirect: 'manual' });
    assert.equal(response.status, 200);
    await authorization.waitFor(/request completed/);
    assert.equal(await authorization.stop(), 0);

    const span = await collector.waitFor(
      (spans) => spans.find((candidate) => candidate.service === service && pathOf(candidate) === `/t/${tenant}/jwks`),
      'the span flushed at shutdown',
      5000,
    );
    assert.equal(span.name, 'GET /t/:tenant/jwks');
    assert.equal(collector.protocols.get(span.spanId), 'http/protobuf');
    assert.equal(span.attributes['http.route'], '/t/:tenant/jwks');
    assert.equal(span.attributes['http.response.status_code'], 200);
    const line = authorization
      .output()
      .split('\n')
      .find((candidate) => candidate.includes(`/t/${tenant}/jwks`) && candidate.includes('request completed'));
    assert.ok(line, 'the request has a log line');
    assert.equal((JSON.parse(line) as { traceId?: string }).traceId, span.traceId);
  });

  it('no span carries a code, token or secret: query values are scrubbed before export', async () => {
    assert.ok(code.length > 10);
    const leaked = { code: 'leaked-code-0123456789', client_secret: 'leaked-secret-0123456789', access_token: 'leaked-token-0123456789' };
    await fetch(`${origin}/t/${tenant}/authorize?client_id=${clientId}&${new URLSearchParams(leaked).toString()}`, { redirect: 'manual' });
    await collector.waitFor(
      (spans) => spans.find((span) => pathOf(span) === `/t/${tenant}/authorize` && JSON.stringify(span).includes('client_id')),
      'the span of the request with secrets in its query',
    );
    const exported = JSON.stringify(collector.spans);
    for (const secret of [code, ...Object.values(leaked)]) assert.ok(!exported.includes(secret), `${secret.slice(0, 12)}… is not exported`);
  });
});

/**
 * With OTEL_EXPORTER_OTLP_ENDPOINT unset, tracing costs nothing: none of OpenTelemetry's SDK, exporter or
 * instrumentations is even loaded (only @opentelemetry/api, which prom-client loads for exemplars, a no-op).
 */
describe('tracing off by default', () => {
  const dist = fileURLToPath(new URL('../../', import.meta.url));
  function openTelemetryModulesLoaded(env: NodeJS.ProcessEnv): number {
    const script = `
      const { startTracing } = await import(${JSON.stringify(`${dist}libs/observability/src/tracing/index.js`)});
      await startTracing('probe');
      await import(${JSON.stringify(`${dist}apps/authorization/src/index.js`)});
      const { createRequire } = await import('node:module');
      const cache = createRequire(import.meta.url).cache;
      console.log(Object.keys(cache).filter((path) => path.includes('@opentelemetry/') && !path.includes('@opentelemetry/api/')).length);`;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { PATH: process.env['PATH'], ENV_FILE: '', ...env },
    });
    return Number(output.toString().trim().split('\n').pop());
  }

  it('loads none of OpenTelemetry without an endpoint, and the SDK and its instrumentations with one', () => {
    assert.equal(openTelemetryModulesLoaded({}), 0);
    assert.ok(openTelemetryModulesLoaded({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' }) > 10);
  });
});
