import type { Provider } from '@nestjs/common';
import type { AuditOutbox } from '@gatehouse/audit';
import { TenantKeyCache } from '@gatehouse/tokens';
import {
  AuthorizationCodeStorage,
  DeviceCodeStorage,
  PersistentCodeStorage,
  PersistentDeviceCodeStorage,
  PersistentRefreshTokenStorage,
  RefreshTokenStorage,
} from '../endpoints/token/grants/grant-storage.js';
import { ApiCache } from '../tenancy/api-cache.js';
import { EndpointRateLimiter } from '../throttling/index.js';
import { AUDIT_OUTBOX } from './audit-outbox.token.js';
import { AuthorizationRuntime } from './authorization-runtime.js';
import { Clock } from './clock.js';

/**
 * The runtime's parts as providers of their own, so a service names the few it uses (a grant
 * handler its storage interface, the clock, a cache) instead of taking the whole runtime.
 */
export function runtimeProviders(runtime: AuthorizationRuntime): Provider[] {
  const auditOutbox: AuditOutbox = runtime.persistence.audit;
  return [
    { provide: AuthorizationRuntime, useValue: runtime },
    { provide: Clock, useValue: new Clock(runtime.now) },
    { provide: ApiCache, useValue: runtime.apis },
    { provide: TenantKeyCache, useValue: runtime.keys },
    { provide: EndpointRateLimiter, useValue: runtime.rateLimits },
    { provide: AUDIT_OUTBOX, useValue: auditOutbox },
    { provide: AuthorizationCodeStorage, useValue: new PersistentCodeStorage(runtime.persistence) },
    { provide: DeviceCodeStorage, useValue: new PersistentDeviceCodeStorage(runtime.persistence) },
    { provide: RefreshTokenStorage, useValue: new PersistentRefreshTokenStorage(runtime.persistence) },
  ];
}
