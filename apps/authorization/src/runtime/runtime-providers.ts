import { GATEHOUSE_CONFIG } from '@gatehouse/config';
import { Clock } from '@gatehouse/protocol';
import type { Provider } from '@nestjs/common';
import type { AuditOutbox } from '@gatehouse/audit';
import { GatehouseMetrics } from '@gatehouse/observability';
import { Persistence, OptionalRedis } from '@gatehouse/persistence';
import { TenantKeyCache } from '@gatehouse/tokens';
import {
  AuthorizationCodeStorage,
  DeviceCodeStorage,
  PersistentCodeStorage,
  PersistentDeviceCodeStorage,
  PersistentRefreshTokenStorage,
  RefreshTokenStorage,
} from '../endpoints/token/grants/grant-storage.js';
import { PersistentTokenReads, TokenInspectionStorage, UserinfoStorage } from '../endpoints/token-reads.storage.js';
import { ApiCache } from '../tenancy/api-cache.js';
import { ClientCache } from '../tenancy/client-cache.js';
import { TenantDirectory } from '../tenancy/tenant-directory.js';
import { TenantResolver } from '../tenancy/tenant-resolver.js';
import { DeviceCookie } from '../risk/device-cookie.js';
import { LoginRisk } from '../risk/login-risk.js';
import { EndpointRateLimiter } from '../throttling/index.js';
import type { CheckDependencies } from '../endpoints/authorize/authorize.pipeline.js';
import {
  ASSERTION_REPLAY,
  AUDIT_OUTBOX,
  AUTHORIZE_CHECK_DEPENDENCIES,
  COUNTER_SOURCES,
  DPOP_REPLAY,
  TRUSTED_CLIENT_CAS,
} from './injection-tokens.js';
import type { AuthorizationRuntime } from './authorization-runtime.js';
import { CookiePolicy } from './cookie-policy.js';

/**
 * The runtime's parts as providers of their own, so a service names the few it uses (a grant
 * handler its storage interface, the clock, a cache) instead of taking the whole runtime.
 */
export function runtimeProviders(runtime: AuthorizationRuntime): Provider[] {
  const auditOutbox: AuditOutbox = runtime.persistence.audit;
  const tokenReads = new PersistentTokenReads(runtime.persistence);
  const checks: CheckDependencies = { clients: runtime.clients, apis: runtime.apis, persistence: runtime.persistence, now: runtime.now };
  return [
    { provide: GATEHOUSE_CONFIG, useValue: runtime.config },
    { provide: Persistence, useValue: runtime.persistence },
    { provide: OptionalRedis, useValue: new OptionalRedis(runtime.redis) },
    { provide: Clock, useValue: new Clock(runtime.now) },
    { provide: CookiePolicy, useValue: runtime.cookies },
    { provide: TenantResolver, useValue: runtime.tenants },
    { provide: TenantDirectory, useValue: runtime.directory },
    { provide: DeviceCookie, useValue: runtime.devices },
    { provide: LoginRisk, useValue: runtime.loginRisk },
    { provide: DPOP_REPLAY, useValue: runtime.dpopReplay },
    { provide: ClientCache, useValue: runtime.clients },
    { provide: ApiCache, useValue: runtime.apis },
    { provide: TenantKeyCache, useValue: runtime.keys },
    { provide: EndpointRateLimiter, useValue: runtime.rateLimits },
    { provide: GatehouseMetrics, useValue: runtime.metrics },
    { provide: AUDIT_OUTBOX, useValue: auditOutbox },
    { provide: ASSERTION_REPLAY, useValue: runtime.replay },
    { provide: TRUSTED_CLIENT_CAS, useValue: () => runtime.trustedClientCas() },
    { provide: AUTHORIZE_CHECK_DEPENDENCIES, useValue: checks },
    { provide: COUNTER_SOURCES, useValue: runtime.counters },
    { provide: AuthorizationCodeStorage, useValue: new PersistentCodeStorage(runtime.persistence) },
    { provide: DeviceCodeStorage, useValue: new PersistentDeviceCodeStorage(runtime.persistence) },
    { provide: RefreshTokenStorage, useValue: new PersistentRefreshTokenStorage(runtime.persistence) },
    { provide: TokenInspectionStorage, useValue: tokenReads },
    { provide: UserinfoStorage, useValue: tokenReads },
  ];
}
