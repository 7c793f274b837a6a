import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Controller, Get, Module, Req, UseGuards, type DynamicModule } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import passport from 'passport';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import Fastify, { type FastifyInstance } from 'fastify';
import { generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { fastifyAccessToken, ResourceServer, type ResourceServerOptions, type ValidatedClaims } from './index.js';
import { BEARER_STRATEGY_NAME, BearerAuthGuard, RequireScopes, ResourceServerModule } from './nest.js';

const ISSUER = 'https://id.example.test/t/acme';
const AUDIENCE = 'https://api.example.test/orders';

@Controller('orders')
@UseGuards(BearerAuthGuard)
class OrdersController {
  @Get()
  @RequireScopes('orders:read')
  list(@Req() request: { user: ValidatedClaims }): { client: unknown } {
    return { client: request.user.client_id };
  }

  @Get('write')
  @RequireScopes('orders:read', 'orders:write')
  write(): { ok: true } {
    return { ok: true };
  }
}

/** The same core behind the NestJS guard (with @RequireScopes) and the Fastify hook (issue 16). */
describe('the resource server in NestJS and Fastify', () => {
  let privateKey: CryptoKey;
  let options: ResourceServerOptions;
  let nest: NestFastifyApplication;
  let fastify: FastifyInstance;

  before(async () => {
    const pair = await generateKeyPair('ES256');
    privateKey = pair.privateKey;
    options = {
      issuer: ISSUER,
      audience: AUDIENCE,
      keys: () => Promise.resolve(pair.publicKey),
      metadata: { scopesSupported: ['orders:read', 'orders:write'] },
    };
    @Module({ imports: [ResourceServerModule.forRoot(options)], controllers: [OrdersController] })
    class ApiModule {}
    nest = await NestFactory.create<NestFastifyApplication>(ApiModule, new FastifyAdapter(), { logger: false });
    await nest.init();
    await nest.getHttpAdapter().getInstance().ready();

    const server = new ResourceServer(options);
    fastify = Fastify();
    fastify.get('/orders', { preHandler: fastifyAccessToken(server, { scopes: ['orders:read'] }) }, (request) => ({
      client: (request as unknown as { auth: ValidatedClaims }).auth.client_id,
    }));
    await fastify.ready();
  });
  after(async () => {
    await nest?.close();
    await fastify?.close();
  });

  const token = (scope: string) =>
    new SignJWT({ client_id: 'c1', scope })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('c1')
      .setIssuedAt()
      .setJti(randomUUID())
      .setExpirationTime('5m')
      .sign(privateKey);

  it('NestJS: @RequireScopes lets a token with the scopes through and refuses one without (403 insufficient_scope)', async () => {
    const fastifyOfNest = nest.getHttpAdapter().getInstance();
    const read = await token('orders:read');
    const ok = await fastifyOfNest.inject({ method: 'GET', url: '/orders', headers: { authorization: `Bearer ${read}` } });
    assert.equal(ok.statusCode, 200);
    assert.deepEqual(ok.json(), { client: 'c1' });
    const refused = await fastifyOfNest.inject({ method: 'GET', url: '/orders/write', headers: { authorization: `Bearer ${read}` } });
    assert.equal(refused.statusCode, 403);
    const challenge = String(refused.headers['www-authenticate']);
    assert.match(challenge, /error="insufficient_scope"/);
    assert.match(challenge, /scope="orders:read orders:write"/);
    assert.match(challenge, /resource_metadata="https:\/\/api\.example\.test\/\.well-known\/oauth-protected-resource\/orders"/);
    const both = await fastifyOfNest.inject({
      method: 'GET',
      url: '/orders/write',
      headers: { authorization: `Bearer ${await token('orders:read orders:write')}` },
    });
    assert.equal(both.statusCode, 200);
  });

  it('NestJS: no token is a bare 401 challenge with resource_metadata, and the module serves the RFC 9728 document', async () => {
    const fastifyOfNest = nest.getHttpAdapter().getInstance();
    const bare = await fastifyOfNest.inject({ method: 'GET', url: '/orders' });
    assert.equal(bare.statusCode, 401);
    assert.match(String(bare.headers['www-authenticate']), /^Bearer resource_metadata="/);
    const metadata = await fastifyOfNest.inject({ method: 'GET', url: '/.well-known/oauth-protected-resource/orders' });
    assert.equal(metadata.statusCode, 200);
    assert.equal(metadata.json<{ resource: string }>().resource, AUDIENCE);
    assert.deepEqual(metadata.json<{ authorization_servers: string[] }>().authorization_servers, [ISSUER]);
  });

  it('Fastify hook: the route runs with request.auth, and a refused token never reaches it', async () => {
    const ok = await fastify.inject({ method: 'GET', url: '/orders', headers: { authorization: `Bearer ${await token('orders:read')}` } });
    assert.equal(ok.statusCode, 200);
    assert.deepEqual(ok.json(), { client: 'c1' });
    const scopeless = await fastify.inject({
      method: 'GET',
      url: '/orders',
      headers: { authorization: `Bearer ${await token('profile')}` },
    });
    assert.equal(scopeless.statusCode, 403);
    assert.equal(scopeless.json<{ error: string }>().error, 'insufficient_scope');
    const garbage = await fastify.inject({ method: 'GET', url: '/orders', headers: { authorization: 'Bearer not.a.token' } });
    assert.equal(garbage.statusCode, 401);
    assert.match(String(garbage.headers['www-authenticate']), /error="invalid_token"/);
  });
});

/** Passport's strategy registry is process-wide: each module's guard must still use its own resource server. */
describe('two resource servers in one process', () => {
  const apps: NestFastifyApplication[] = [];
  after(async () => {
    for (const app of apps) await app.close();
  });

  it('each NestJS app accepts tokens for its own audience and refuses the other’s', async () => {
    const pair = await generateKeyPair('ES256');
    const appFor = async (audience: string, imports: DynamicModule[] = []) => {
      @Controller('orders')
      @UseGuards(BearerAuthGuard)
      class AudienceController {
        @Get()
        list(): { audience: string } {
          return { audience };
        }
      }
      @Module({
        imports: [ResourceServerModule.forRoot({ issuer: ISSUER, audience, keys: () => Promise.resolve(pair.publicKey) }), ...imports],
        controllers: [AudienceController],
      })
      class AudienceModule {}
      const app = await NestFactory.create<NestFastifyApplication>(AudienceModule, new FastifyAdapter(), { logger: false });
      apps.push(app);
      await app.init();
      await app.getHttpAdapter().getInstance().ready();
      return app.getHttpAdapter().getInstance();
    };
    const tokenFor = (audience: string) =>
      new SignJWT({ client_id: 'c1' })
        .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' })
        .setIssuer(ISSUER)
        .setAudience(audience)
        .setSubject('c1')
        .setIssuedAt()
        .setJti(randomUUID())
        .setExpirationTime('5m')
        .sign(pair.privateKey);
    const orders = await appFor('https://api.example.test/orders');
    // An app with Passport options of its own (another default strategy) still guards with this module's.
    const billing = await appFor('https://api.example.test/billing', [PassportModule.register({ defaultStrategy: 'jwt' })]);
    const status = async (app: typeof orders, token: string) =>
      (await app.inject({ method: 'GET', url: '/orders', headers: { authorization: `Bearer ${token}` } })).statusCode;
    const ordersToken = await tokenFor('https://api.example.test/orders');
    const billingToken = await tokenFor('https://api.example.test/billing');
    assert.equal(await status(orders, ordersToken), 200, 'the first app still uses its own audience');
    assert.equal(await status(orders, billingToken), 401);
    assert.equal(await status(billing, billingToken), 200);
    assert.equal(await status(billing, ordersToken), 401);
  });

  it('closing an app removes its strategy from Passport’s process-wide registry', async () => {
    const registry = passport as unknown as { _strategy(name: string): unknown };
    const app = apps.pop()!;
    const name = app.get<string>(BEARER_STRATEGY_NAME);
    assert.ok(registry._strategy(name));
    await app.close();
    assert.equal(registry._strategy(name), undefined);
  });
});
