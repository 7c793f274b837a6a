import type { Provider } from '@nestjs/common';
import type { AuditOutbox } from '@gatehouse/audit';
import { GatehouseMetrics } from '@gatehouse/observability';
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
import { EndpointRateLimiter } from '../throttling/index.js';
import { ASSERTION_REPLAY, AUDIT_OUTBOX, TRUSTED_CLIENT_CAS } from './injection-tokens.js';
import { AuthorizationRuntime } from './authorization-runtime.js';
import { Clock } from './clock.js';

/**
 * The runtime's parts as providers of their own, so a service names the few it uses (a grant
 * handler its storage interface, the clock, a cache) instead of taking the whole runtime.
 */
export function runtimeProviders(runtime: AuthorizationRuntime): Provider[] {
  const auditOutbox: AuditOutbox = runtime.persistence.audit;
  const tokenReads = new PersistentTokenReads(runtime.persistence);
  return [
    { provide: AuthorizationRuntime, useValue: runtime },
    { provide: Clock, useValue: new Clock(runtime.now) },
    { provide: TenantDirectory, useValue: runtime.directory },
    { provide: ClientCache, useValue: runtime.clients },
    { provide: ApiCache, useValue: runtime.apis },
    { provide: TenantKeyCache, useValue: runtime.keys },
    { provide: EndpointRateLimiter, useValue: runtime.rateLimits },
    { provide: GatehouseMetrics, useValue: runtime.metrics },
    { provide: AUDIT_OUTBOX, useValue: auditOutbox },
    { provide: ASSERTION_REPLAY, useValue: runtime.replay },
    { provide: TRUSTED_CLIENT_CAS, useValue: () => runtime.trustedClientCas() },
    { provide: AuthorizationCodeStorage, useValue: new PersistentCodeStorage(runtime.persistence) },
    { provide: DeviceCodeStorage, useValue: new PersistentDeviceCodeStorage(runtime.persistence) },
    { provide: RefreshTokenStorage, useValue: new PersistentRefreshTokenStorage(runtime.persistence) },
    { provide: TokenInspectionStorage, useValue: tokenReads },
    { provide: UserinfoStorage, useValue: tokenReads },
  ];
}
