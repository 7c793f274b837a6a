import { listenFailure } from '../listen-failure.js';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MetricsConfig } from '@gatehouse/config';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { endpointName } from './endpoint-name.js';
import type { GatehouseMetrics } from './gatehouse-metrics.js';
import { presentsToken } from './scrape-access.js';

export const METRICS_PATH = '/metrics';

/**
 * Wires an app's metrics: the request-duration hook, and GET /metrics on the app's own port
 * unless METRICS_PORT moves it to a listener of its own (then the app answers 404 there).
 */
export function exposeMetrics(app: NestFastifyApplication, metrics: GatehouseMetrics, config: MetricsConfig): void {
  const fastify = app.getHttpAdapter().getInstance();
  // A callback hook, not an async one: no promise per response on the hot path.
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url;
    if (route !== METRICS_PATH) {
      const endpoint = endpointName(route);
      const tenant = metrics.tenants.peek((request.params as { tenant?: string } | undefined)?.tenant);
      metrics.requestDuration.observe({ tenant, endpoint }, reply.elapsedTime / 1000);
    }
    done();
  });
  if (config.port !== undefined) return;
  fastify.get(METRICS_PATH, async (request: FastifyRequest, reply: FastifyReply) => {
    const scrape = await scrapeResponse(metrics, config, request.headers.authorization);
    return reply.status(scrape.status).headers(scrape.headers).send(scrape.body);
  });
}

interface ScrapeResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

async function scrapeResponse(
  metrics: GatehouseMetrics,
  config: MetricsConfig,
  authorization: string | undefined,
): Promise<ScrapeResponse> {
  if (!presentsToken(authorization, config.token)) {
    return {
      status: 401,
      headers: { 'www-authenticate': 'Bearer realm="metrics"', 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
      body: 'Unauthorized\n',
    };
  }
  return {
    status: 200,
    headers: { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' },
    body: await metrics.registry.metrics(),
  };
}

export interface MetricsListener {
  readonly url: string;
  close(): Promise<void>;
}

/** METRICS_PORT: one plain listener for the process serving only GET /metrics (the token still applies when set). */
export async function startMetricsListener(
  metrics: GatehouseMetrics,
  config: MetricsConfig,
  host: string,
): Promise<MetricsListener | undefined> {
  if (config.port === undefined) return undefined;
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? '').split('?')[0];
    if (request.method !== 'GET' || path !== METRICS_PATH) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
    scrapeResponse(metrics, config, request.headers.authorization).then(
      (scrape) => response.writeHead(scrape.status, scrape.headers).end(scrape.body),
      () => response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('Metrics unavailable\n'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(listenFailure(error, host, config.port ?? 0, 'METRICS_PORT')));
    server.listen(config.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return {
    url: `http://${shownHost}:${port}${METRICS_PATH}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
