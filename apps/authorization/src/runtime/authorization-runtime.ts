import type { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { GatehouseConfig } from '@gatehouse/config';
import { sharedMetrics, type GatehouseLogger, type GatehouseMetrics } from '@gatehouse/observability';
import { RedisAssertionReplayStore, subscribeConfigChanges, type ConfigChange, type Persistence } from '@gatehouse/persistence';
import { InMemoryAssertionReplayStore, asTenantId, parseCertificateBundle, type AssertionReplayStore } from '@gatehouse/protocol';
import { TenantKeyCache } from '@gatehouse/tokens';
import { ApiCache } from '../tenancy/api-cache.js';
import { CACHE_SIZES, cacheTtlMs } from '../tenancy/cache-sizes.js';
import { ClientCache } from '../tenancy/client-cache.js';
import { TenantDirectory } from '../tenancy/tenant-directory.js';
import { TenantResolver } from '../tenancy/tenant-resolver.js';
import type { Infrastructure } from '@gatehouse/persistence';
import type { Redis } from 'ioredis';
import { sharedGeoIp } from '@gatehouse/risk';
import { DeviceCookie } from '../risk/device-cookie.js';
import { LoginRisk } from '../risk/login-risk.js';
import { createEndpointRateLimiter, limitLabel, type CounterSources, type EndpointRateLimiter } from '../throttling/index.js';
import { CookiePolicy } from './cookie-policy.js';

/**
 * What the endpoints share, built once per process: no request-scoped providers
 * on the hot path (style.md, tenancy). Services never take it: `runtimeProviders`
 * offers each part as a provider of its own.
 */
export class AuthorizationRuntime {
  readonly tenants: TenantResolver;
  /** The tenant an issuer path names, and its issuer URL. */
  readonly directory: TenantDirectory;
  readonly clients: ClientCache;
  readonly apis: ApiCache;
  readonly keys: TenantKeyCache;
  readonly replay: AssertionReplayStore;
  /** RFC 9449 §11.1: DPoP proof jti single use, scoped by tenant and key. */
  readonly dpopReplay: AssertionReplayStore;
  readonly persistence: Persistence;
  /** Present when REDIS_URL is set. */
  readonly redis: Redis | undefined;
  readonly cookies: CookiePolicy;
  readonly devices: DeviceCookie;
  readonly loginRisk: LoginRisk;
  /** Where every throttle and rate limit counts. */
  readonly counters: CounterSources;
  readonly rateLimits: EndpointRateLimiter;
  readonly metrics: GatehouseMetrics;

  constructor(
    readonly config: GatehouseConfig,
    infrastructure: Infrastructure,
    readonly logger: GatehouseLogger,
    readonly now: () => Date = () => new Date(),
  ) {
    this.persistence = infrastructure.persistence;
    this.redis = infrastructure.redis?.client;
    const ttlMs = cacheTtlMs(this.redis !== undefined);
    this.metrics = sharedMetrics(infrastructure, config.metrics);
    this.tenants = new TenantResolver(this.persistence, ttlMs, this.metrics.tenants);
    this.directory = new TenantDirectory(this.tenants, config.publicUrl);
    this.clients = new ClientCache(this.persistence, ttlMs);
    this.apis = new ApiCache(this.persistence, ttlMs);
    this.keys = new TenantKeyCache(this.persistence.repositories.signingKeys, config.keyEncryptionKey, {
      now,
      // Rotations are announced too; the refresh only bounds a lost announcement (60 s without Redis).
      refreshIntervalMs: Math.max(ttlMs, 60_000),
      maxTenants: CACHE_SIZES.tenants,
    });
    this.cookies = new CookiePolicy(config.publicUrl);
    this.devices = new DeviceCookie(config.keyEncryptionKey, this.cookies.secure);
    // The geo database opens on the first login from a public address, not at start-up.
    this.loginRisk = new LoginRisk(this.persistence, sharedGeoIp(config.geoIpDbPath));
    this.counters = { redis: this.redis, logger, now };
    this.rateLimits = createEndpointRateLimiter(this.counters, this.persistence.audit, config.rateLimits, (tenant, limit) =>
      this.metrics.rateLimited.inc({ tenant: this.metrics.tenants.of(tenant.slug), limit: limitLabel(limit) }),
    );
    this.replay = infrastructure.redis ? new RedisAssertionReplayStore(infrastructure.redis.client) : new InMemoryAssertionReplayStore();
    this.dpopReplay = infrastructure.redis
      ? new RedisAssertionReplayStore(infrastructure.redis.client, 'dpop-jti')
      : new InMemoryAssertionReplayStore(now);
  }

  /** Drops cached tenants, clients and APIs when an admin changes them, here or in another process (via Redis). */
  watchConfigChanges(): Promise<() => Promise<void>> {
    return subscribeConfigChanges(
      this.redis,
      (change: ConfigChange) => {
        switch (change.kind) {
          case 'tenant':
            this.tenants.invalidate(change.slug);
            this.keys.invalidate(asTenantId(change.tenantId));
            return;
          case 'client':
            this.clients.invalidate(asTenantId(change.tenantId), change.clientId);
            return;
          case 'apis':
            this.apis.invalidate(asTenantId(change.tenantId));
            return;
        }
      },
      () => this.forgetConfiguration(),
    );
  }

  /** Drops every cached tenant, client, API and key set: the next requests read them afresh. */
  forgetConfiguration(): void {
    this.tenants.clear();
    this.clients.clear();
    this.apis.clear();
    this.keys.clear();
  }

  /** MTLS_CA_FILE, read once: the CAs tls_client_auth certificates chain to (none when unset). */
  trustedClientCas(): readonly X509Certificate[] {
    this.clientCas ??= this.config.mtls.caFile ? parseCertificateBundle(readFileSync(this.config.mtls.caFile, 'utf8')) : [];
    return this.clientCas;
  }

  private clientCas: readonly X509Certificate[] | undefined;
}
