import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type ConsentPolicy = 'skip_first_party' | 'always';

/** `second_factor`: a passkey follows the password; `passwordless`: it may also replace it (docs/adr/0010). */
/** RFC 9126 pushed authorization requests and RFC 9101 request objects: off, accepted, or the only way in. */
export type AuthorizationRequestMode = 'disabled' | 'enabled' | 'required';

export type PasskeyLogin = 'second_factor' | 'passwordless';

@Entity({ name: 'tenants' })
export class TenantEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 63, unique: true })
  slug!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 16, default: 'active' })
  status!: 'active' | 'disabled';

  @Column({ name: 'access_token_alg', type: 'varchar', length: 16, default: 'ES256' })
  accessTokenAlg!: string;

  @Column({ name: 'access_token_ttl_seconds', type: 'integer', default: 3600 })
  accessTokenTtlSeconds!: number;

  @Column({ name: 'id_token_ttl_seconds', type: 'integer', default: 3600 })
  idTokenTtlSeconds!: number;

  @Column({ name: 'session_ttl_seconds', type: 'integer', default: 86400 })
  sessionTtlSeconds!: number;

  /** Also accept the token endpoint URL (single-valued) as a client assertion's audience; off by default. */
  @Column({ name: 'accept_token_endpoint_audience', type: 'boolean', default: false })
  acceptTokenEndpointAudience!: boolean;

  @Column({ name: 'refresh_token_idle_ttl_seconds', type: 'integer', default: 1209600 })
  refreshTokenIdleTtlSeconds!: number;

  @Column({ name: 'refresh_token_absolute_ttl_seconds', type: 'integer', default: 7776000 })
  refreshTokenAbsoluteTtlSeconds!: number;

  @Column({ name: 'refresh_without_offline_access', type: 'boolean', default: false })
  refreshWithoutOfflineAccess!: boolean;

  /** `skip_first_party`: first-party clients never ask; `always`: every client asks for what is not yet granted. */
  @Column({ name: 'consent_policy', type: 'varchar', length: 24, default: 'skip_first_party' })
  consentPolicy!: ConsentPolicy;

  @Column({ name: 'passkey_login', type: 'varchar', length: 16, default: 'second_factor' })
  passkeyLogin!: PasskeyLogin;

  /** RFC 8252 §7.3 loopback http redirect URIs; a tenant may forbid them for web clients. */
  @Column({ name: 'web_loopback_redirects', type: 'boolean', default: true })
  webLoopbackRedirects!: boolean;

  @Column({ name: 'pushed_authorization_requests', type: 'varchar', length: 16, default: 'disabled' })
  pushedAuthorizationRequests!: AuthorizationRequestMode;

  @Column({ name: 'request_objects', type: 'varchar', length: 16, default: 'disabled' })
  requestObjects!: AuthorizationRequestMode;

  /** RFC 9126 §2.2 expires_in of a pushed request_uri. */
  @Column({ name: 'par_lifetime_seconds', type: 'integer', default: 60 })
  parLifetimeSeconds!: number;

  /** Overrides of DEFAULT_RISK_POLICY (libs/risk). */
  @Column({ name: 'risk_policy', type: 'jsonb', default: () => "'{}'" })
  riskPolicy!: Record<string, number>;

  /** Overrides of DEFAULT_RATE_LIMIT_POLICY (libs/protocol). */
  @Column({ name: 'rate_limit_policy', type: 'jsonb', default: () => "'{}'" })
  rateLimitPolicy!: Record<string, number>;

  /** Overrides of DEFAULT_MFA_POLICY (libs/protocol). */
  @Column({ name: 'mfa_policy', type: 'jsonb', default: () => "'{}'" })
  mfaPolicy!: Record<string, string>;

  /** Overrides of DEFAULT_DPOP_POLICY (libs/protocol, RFC 9449). */
  @Column({ name: 'dpop_policy', type: 'jsonb', default: () => "'{}'" })
  dpopPolicy!: Record<string, number | boolean>;

  /** RFC 8705: clients may authenticate by TLS client certificate; discovery advertises it. */
  @Column({ name: 'mtls_enabled', type: 'boolean', default: false })
  mtlsEnabled!: boolean;

  /** `fapi2`: the FAPI 2.0 Security Profile for every client of the tenant (docs/adr/0020). */
  @Column({ name: 'security_profile', type: 'varchar', length: 16, default: 'none' })
  securityProfile!: 'none' | 'fapi2';

  /** RFC 8628 device authorization grant (docs/adr/0017): `disabled` or `enabled`. */
  @Column({ name: 'device_authorization', type: 'varchar', length: 16, default: 'disabled' })
  deviceAuthorization!: 'disabled' | 'enabled';

  @Column({ name: 'device_code_lifetime_seconds', type: 'integer', default: 600 })
  deviceCodeLifetimeSeconds!: number;

  @Column({ name: 'device_polling_interval_seconds', type: 'integer', default: 5 })
  devicePollingIntervalSeconds!: number;

  /** RFC 9396 authorization details types: name → JSON Schema (docs/adr/0019). */
  @Column({ name: 'authorization_details_types', type: 'jsonb', default: () => "'{}'::jsonb" })
  authorizationDetailsTypes!: Record<string, unknown>;

  /** Audit records older than this many days are removed by the worker's retention. */
  @Column({ name: 'audit_retention_days', type: 'integer', default: 365 })
  auditRetentionDays!: number;

  /** How the sign-in pages look: logo, primary colour, page title, support link (wire names). */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  branding!: Record<string, string>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
