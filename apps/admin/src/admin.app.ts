import { Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { JWTHeaderParameters } from 'jose';
import type { GatehouseConfig } from '@gatehouse/config';
import { createHttpApp, exposeMetrics, GatehouseLogger, HealthModule, sharedMetrics } from '@gatehouse/observability';
import { RedisAssertionReplayStore, signingKeysReadiness, type Infrastructure } from '@gatehouse/persistence';
import { Clock, InMemoryAssertionReplayStore, issuerFor } from '@gatehouse/protocol';
import { ResourceServerModule } from '@gatehouse/resource-server/nest';
import { SigningKeyPool, TenantKeyCache } from '@gatehouse/tokens';
import { AdminServicesModule } from './admin-services.js';
import { ADMIN_API_IDENTIFIER } from './auth/admin-roles.js';
import { AdminTokenStanding } from './auth/admin-token-standing.js';
import { ApisController } from './apis/apis.controller.js';
import { AuditRecordsController } from './audit-records/audit-records.controller.js';
import { ClientsController } from './clients/clients.controller.js';
import { KeysController } from './keys/keys.controller.js';
import { RegistrationTokensController } from './registration-tokens/registration-tokens.controller.js';
import { DeadLettersController } from './siem-sinks/dead-letters.controller.js';
import { SiemSinksController } from './siem-sinks/siem-sinks.controller.js';
import { UsersController } from './users/users.controller.js';
import { mountOpenApi } from './docs/openapi.js';
import { ProblemDetailsFilter } from './http/problem-details.filter.js';
import { RefuseNulPipe } from './http/refuse-nul.pipe.js';
import { SYSTEM_TENANT } from './platform/platform-bootstrap.js';
import { TenantsController } from './tenants/tenants.controller.js';

/** The admin REST API (/admin/v1), protected by access tokens the system tenant issues for it. */
export async function createAdminApp(
  config: GatehouseConfig,
  infrastructure: Infrastructure,
  logger: GatehouseLogger,
  { clock = new Clock() }: { readonly clock?: Clock } = {},
): Promise<NestFastifyApplication> {
  const keys = new TenantKeyCache(infrastructure.persistence.repositories.signingKeys, config.keyEncryptionKey, {
    now: () => clock.now(),
  });
  // The issuer shares our database, so its keys are read directly (cached; an unknown kid reloads them).
  const systemKey = async (header: JWTHeaderParameters) => {
    const system = await infrastructure.persistence.repositories.tenants.findBySlug(SYSTEM_TENANT);
    const key = system && header.kid ? await keys.verificationKey(system.id, header.kid) : null;
    if (!key) throw new Error('unknown signing key');
    return key;
  };
  // Issue 10 item 1: signature and expiry are not enough; a revoked, signed-out, disabled or demoted admin is refused.
  const standing = new AdminTokenStanding(infrastructure.persistence, clock);
  const stopWatching = standing.watch(infrastructure.redis?.client);
  const metrics = sharedMetrics(infrastructure, config.metrics);
  const systemLabel = metrics.tenants.of(SYSTEM_TENANT);

  @Module({
    imports: [
      AdminServicesModule.register({ config, persistence: infrastructure.persistence, redis: infrastructure.redis, clock }),
      HealthModule.forChecks([
        ...infrastructure.readinessChecks,
        signingKeysReadiness(infrastructure.persistence.repositories.signingKeys, {
          warnDays: config.health.keyExpiryWarnDays,
          now: () => clock.now(),
        }),
      ]),
      ResourceServerModule.forRoot({
        issuer: issuerFor(config.publicUrl, SYSTEM_TENANT),
        audience: ADMIN_API_IDENTIFIER,
        keys: systemKey,
        now: () => clock.now(),
        standing: (claims) => standing.check(claims),
        onResult: (result) => metrics.tokenValidations.inc({ tenant: systemLabel, validator: 'resource_server', result }),
        // RFC 9449: DPoP-bound admin tokens need the admin API's public URL, which a proof's htu names.
        ...(config.adminPublicUrl === undefined
          ? {}
          : {
              dpop: {
                publicUrl: config.adminPublicUrl,
                replay: infrastructure.redis
                  ? new RedisAssertionReplayStore(infrastructure.redis.client, 'admin-dpop-jti')
                  : new InMemoryAssertionReplayStore(),
              },
            }),
      }),
    ],
    controllers: [
      TenantsController,
      ClientsController,
      UsersController,
      KeysController,
      ApisController,
      RegistrationTokensController,
      AuditRecordsController,
      SiemSinksController,
      DeadLettersController,
    ],
    providers: [{ provide: GatehouseLogger, useValue: logger }, { provide: AdminTokenStanding, useValue: standing }, ProblemDetailsFilter],
  })
  class AdminModule {}
  const app = await createHttpApp(AdminModule, config, logger);
  // The API creates tenants; their RSA keys come ready from the pool (SIGNING_KEY_POOL_SIZE).
  const keyPool = app.get(SigningKeyPool);
  keyPool.start();
  app.getHttpAdapter().getInstance().addHook('onClose', stopWatching);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onClose', (_instance, done) => {
      keyPool.stop();
      done();
    });
  app.useGlobalFilters(app.get(ProblemDetailsFilter));
  app.useGlobalPipes(new RefuseNulPipe());
  mountOpenApi(app);
  exposeMetrics(app, metrics, config.metrics);
  return app;
}
