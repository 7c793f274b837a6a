import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { GatehouseConfig } from '@gatehouse/config';
import type { GatehouseLogger } from './logger.js';
import { listenFailure } from './listen-failure.js';
import { logRequest, requestId } from './request-log.js';
import { addServerSpanHooks } from './tracing/server-spans.js';

/**
 * A Nest application on Fastify with the settings every Gatehouse surface shares:
 * proxy trust only for TRUSTED_PROXIES, our logger, nosniff and the request id on every
 * response, one log line per request.
 */
export async function createHttpApp(module: unknown, config: GatehouseConfig, logger: GatehouseLogger): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    trustProxy: config.trustedProxies.length > 0 ? [...config.trustedProxies] : false,
    logger: false,
    bodyLimit: 64 * 1024,
    genReqId: requestId,
  });
  const fastify = adapter.getInstance();
  // Callback hooks, not async ones: no promise per request on the hot path.
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-request-id', request.id);
    done();
  });
  // The log line is written before the span ends, so it can carry the span's trace id.
  fastify.addHook('onResponse', (request, reply, done) => {
    logRequest(logger, request, reply);
    done();
  });
  addServerSpanHooks(fastify);
  // Nest's logger is process-wide, so in the one-process mode it cannot carry an app name.
  return NestFactory.create<NestFastifyApplication>(module as never, adapter, { logger, abortOnError: false });
}

/**
 * Listens and returns the URL actually bound (port 0 picks a free one). `variable` names the
 * setting behind the port, so a port in use says which one to change.
 */
export async function listen(app: NestFastifyApplication, host: string, port: number, variable?: string): Promise<string> {
  try {
    await app.listen(port, host);
  } catch (error) {
    throw listenFailure(error, host, port, variable);
  }
  const address = app.getHttpServer().address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return `http://${shownHost}:${boundPort}`;
}
