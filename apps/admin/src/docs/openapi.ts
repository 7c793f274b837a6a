import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { HEALTH_SCHEMA } from '@gatehouse/observability';

const require = createRequire(import.meta.url);

/**
 * The OpenAPI document generated from the controllers (/docs-json) and a browsable
 * Swagger UI at /docs, served from swagger-ui-dist without @fastify/static (which
 * needs Node 22) and under a strict, nonce-based CSP.
 */
export function mountOpenApi(app: NestFastifyApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Gatehouse admin API')
      .setDescription('Tenants, clients and their settings. Errors are RFC 9457 problem details with a stable `code`.')
      .setVersion('v1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .build(),
  );
  documentHealth(document);
  const assets = dirname(require.resolve('swagger-ui-dist/package.json'));
  const files: Record<string, [string, string]> = {
    'swagger-ui.css': ['text/css; charset=utf-8', readFileSync(join(assets, 'swagger-ui.css'), 'utf8')],
    'swagger-ui-bundle.js': ['text/javascript; charset=utf-8', readFileSync(join(assets, 'swagger-ui-bundle.js'), 'utf8')],
  };
  const fastify = app.getHttpAdapter().getInstance();
  fastify.get('/docs-json', async (_request, reply) => reply.header('cache-control', 'no-store').send(document));
  fastify.get('/docs/:file', async (request, reply) => {
    const file = files[(request.params as { file: string }).file];
    if (!file) return reply.status(404).send({ code: 'not_found' });
    return reply.header('content-type', file[0]).header('cache-control', 'public, max-age=3600').send(file[1]);
  });
  fastify.get('/docs', async (_request, reply) => {
    const nonce = randomBytes(16).toString('base64');
    return reply
      .header('content-type', 'text/html; charset=utf-8')
      .header(
        'content-security-policy',
        `default-src 'self'; script-src 'self' 'nonce-${nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'`,
      )
      .header('x-frame-options', 'DENY')
      .header('referrer-policy', 'no-referrer')
      .header('cache-control', 'no-store')
      .send(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Gatehouse admin API</title><link rel="stylesheet" href="/docs/swagger-ui.css"></head><body><div id="swagger-ui"></div><script src="/docs/swagger-ui-bundle.js"></script><script nonce="${nonce}">window.ui = SwaggerUIBundle({ url: '/docs-json', dom_id: '#swagger-ui' });</script></body></html>`,
      );
  });
}

/** The health endpoints come from a lib that does not load Swagger: their answers are described here. */
function documentHealth(document: OpenAPIObject): void {
  const answer = (description: string) => ({ description, content: { 'application/json': { schema: HEALTH_SCHEMA } } });
  const live = document.paths['/health/live']?.get;
  if (live) live.responses = { '200': answer('The process answers; no dependency is checked') };
  const ready = document.paths['/health/ready']?.get;
  if (ready)
    ready.responses = {
      '200': answer('healthy or degraded'),
      '503': answer('unhealthy: a required dependency is down'),
    };
}
