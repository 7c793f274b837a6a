export type DatabaseConfig =
  { readonly kind: 'postgres'; readonly url: string; readonly poolSize: number } | { readonly kind: 'embedded'; readonly dataDir: string };

export interface GatehouseConfig {
  readonly nodeEnv: 'development' | 'production' | 'test';
  readonly publicUrl: string;
  /** Where clients reach the admin API; set, it accepts DPoP-bound tokens (the proofs' htu). */
  readonly adminPublicUrl: string | undefined;
  readonly listenHost: string;
  readonly ports: { readonly authorization: number; readonly admin: number; readonly worker: number };
  readonly database: DatabaseConfig;
  readonly redisUrl: string | undefined;
  /** 32 raw bytes; never logged. */
  readonly keyEncryptionKey: Buffer;
  /** Where the key came from: the environment, or the development key file in DATA_DIR (just created or reused). */
  readonly keyEncryptionKeySource: 'environment' | 'created-in-data-dir' | 'data-dir';
  readonly keyPrepublicationSeconds: number;
  /** RSA key pairs the admin API keeps ready for new tenants (0: generate on demand). */
  readonly signingKeyPoolSize: number;
  readonly dataDir: string;
  readonly log: { readonly level: LogLevel; readonly format: 'json' | 'pretty' };
  readonly trustedProxies: readonly string[];
  /**
   * RFC 8705 mutual TLS: the CA bundle tls_client_auth certificates must chain to (MTLS_CA_FILE), and
   * the header a TRUSTED_PROXIES peer passes the client certificate in (URL-encoded PEM).
   */
  readonly mtls: {
    readonly caFile: string | undefined;
    readonly clientCertHeader: string;
    /** MTLS_PUBLIC_URL: the origin where clients reach the endpoints over mTLS (RFC 8705 §5 mtls_endpoint_aliases). */
    readonly publicUrl: string | undefined;
    /**
     * MTLS_PORT with MTLS_TLS_CERT_FILE and MTLS_TLS_KEY_FILE: a TLS listener of the authorization server
     * itself that asks every client for a certificate (no proxy in front).
     */
    readonly listener: { readonly port: number; readonly certFile: string; readonly keyFile: string } | undefined;
  };
  /** A MaxMind-format city database; unset: the DB-IP Lite database shipped as a dependency. */
  readonly geoIpDbPath: string | undefined;
  /** Whether SIEM sinks may point at loopback and private addresses (off: tenants could reach the internal network). */
  readonly siemAllowPrivateTargets: boolean;
  /**
   * OUTBOUND_ALLOW_PRIVATE_TARGETS: every outbound call (SIEM sinks, back-channel logout) may reach
   * loopback and private addresses. SIEM_ALLOW_PRIVATE_TARGETS stays the SIEM-only switch.
   */
  readonly outboundAllowPrivateTargets: boolean;
  /**
   * Endpoint rate limits (docs/adr/0009). `failClosed` (RATE_LIMIT_FAIL_CLOSED): refuse requests while
   * the counter store is unreachable instead of letting them through. `enabled` (RATE_LIMITS_ENABLED)
   * is off only to measure the limiter's cost (bench/); the login throttle and lockout ignore it.
   */
  readonly rateLimits: { readonly enabled: boolean; readonly failClosed: boolean };
  /** The platform admin's first password: ADMIN_PASSWORD, or the content of ADMIN_PASSWORD_FILE (a secrets mount). */
  readonly bootstrapAdmin: { readonly username: string; readonly password: string | undefined; readonly passwordFromFile: boolean };
  /** Readiness turns degraded when a tenant's signing keys stop signing within this many days. */
  readonly health: { readonly keyExpiryWarnDays: number };
  readonly metrics: MetricsConfig;
  readonly warnings: readonly string[];
}

export interface MetricsConfig {
  /** METRICS_TOKEN: the bearer token a scrape must present; unset: none asked. Never logged. */
  readonly token: string | undefined;
  /** METRICS_PORT: /metrics on its own listener (one for the process) instead of each app's port. */
  readonly port: number | undefined;
  /** METRICS_TENANT_LABEL_CAP: tenants named in labels; the rest count as `other`. */
  readonly tenantLabelCap: number;
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
