import middie from '@fastify/middie';
import { Module, RequestMethod, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { LoggerModule } from 'nestjs-pino';
import type { GatehouseConfig } from '@gatehouse/config';
import type { GatehouseLogger } from './logger.js';
import { createRequestLogger } from './request-log.js';

/**
 * A Nest application on Fastify with the settings every Gatehouse surface shares:
 * proxy trust only for TRUSTED_PROXIES, our logger, nosniff on every response,
 * one pino-http line per request.
 */
export async function createHttpApp(module: unknown, config: GatehouseConfig, logger: GatehouseLogger): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    trustProxy: config.trustedProxies.length > 0 ? [...config.trustedProxies] : false,
    logger: false,
    bodyLimit: 64 * 1024,
    skipMiddie: true,
  });
  // Nest middleware (nestjs-pino's, which puts the request's logger in async context) runs
  // after the body is parsed: the parser's stream events would otherwise leave that context
  // behind, and a POST /token handler could not add its client to the request line.
  await adapter.getInstance().register(middie, { hook: 'preHandler' });
  const logRequest = createRequestLogger(logger);
  // A callback hook, not an async one: no promise per response on the hot path.
  adapter.getInstance().addHook('onRequest', (request, reply, done) => {
    reply.header('x-content-type-options', 'nosniff');
    logRequest(request.raw, reply.raw);
    // middie hands Nest middleware Fastify's request logger as req.log: make it pino-http's.
    request.log = request.raw.log;
    done();
  });
  // nestjs-pino's own pino-http instance is process-wide, and the one-process mode runs three
  // apps (tests, many more) each with its own sink: each app brings its pino-http, nestjs-pino
  // binds it to the request context ("useExisting"). Its default route, `{/*splat}`, becomes
  // `/{/*splat}` in @fastify/middie 9.3 and matches nothing; `*path` matches all but the root.
  class HttpAppModule {}
  const forRoutes = [{ path: '*path', method: RequestMethod.ALL }];
  const logging = LoggerModule.forRoot({ useExisting: true, assignResponse: true, forRoutes });
  Module({ imports: [logging, module as Type] })(HttpAppModule);
  // Nest's logger is process-wide, so in the one-process mode it cannot carry an app name.
  const app = await NestFactory.create<NestFastifyApplication>(HttpAppModule, adapter, { logger, abortOnError: false });
  return app;
}

/** Listens and returns the URL actually bound (port 0 picks a free one). */
export async function listen(app: NestFastifyApplication, host: string, port: number): Promise<string> {
  await app.listen(port, host);
  const address = app.getHttpServer().address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return `http://${shownHost}:${boundPort}`;
}
