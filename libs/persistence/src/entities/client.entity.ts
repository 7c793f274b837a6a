import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity({ name: 'clients' })
@Index('uq_clients_tenant_client_id', ['tenantId', 'clientId'], { unique: true })
export class ClientEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @Column({ name: 'client_id', type: 'varchar', length: 128 })
  clientId!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ name: 'application_type', type: 'varchar', length: 16 })
  applicationType!: 'web' | 'native';

  @Column({ name: 'token_endpoint_auth_method', type: 'varchar', length: 32 })
  tokenEndpointAuthMethod!: string;

  /** SHA-256 of the client secret; null for public and private_key_jwt clients. */
  @Column({ name: 'secret_hash', type: 'varchar', length: 64, nullable: true })
  secretHash!: string | null;

  /** SHA-256 of the secret a rotation replaced; it still authenticates until previous_secret_expires_at. */
  @Column({ name: 'previous_secret_hash', type: 'varchar', length: 64, nullable: true })
  previousSecretHash!: string | null;

  @Column({ name: 'previous_secret_expires_at', type: 'timestamptz', nullable: true })
  previousSecretExpiresAt!: Date | null;

  @Column({ name: 'redirect_uris', type: 'text', array: true, default: () => "'{}'" })
  redirectUris!: string[];

  @Column({ name: 'grant_types', type: 'text', array: true, default: () => "'{}'" })
  grantTypes!: string[];

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  scopes!: string[];

  /** Public JWK Set for private_key_jwt client authentication. */
  @Column({ type: 'jsonb', nullable: true })
  jwks!: { keys: Record<string, unknown>[] } | null;

  @Column({ name: 'first_party', type: 'boolean', default: false })
  firstParty!: boolean;

  @Column({ name: 'access_token_ttl_seconds', type: 'integer', nullable: true })
  accessTokenTtlSeconds!: number | null;

  @Column({ name: 'id_token_signed_response_alg', type: 'varchar', length: 16, nullable: true })
  idTokenSignedResponseAlg!: string | null;

  @Column({ name: 'refresh_token_idle_ttl_seconds', type: 'integer', nullable: true })
  refreshTokenIdleTtlSeconds!: number | null;

  @Column({ name: 'refresh_token_absolute_ttl_seconds', type: 'integer', nullable: true })
  refreshTokenAbsoluteTtlSeconds!: number | null;

  @Column({ name: 'rotate_refresh_tokens', type: 'boolean', default: true })
  rotateRefreshTokens!: boolean;

  /** RFC 9449 §5.2: every access token of this client is DPoP-bound; a token request without a proof is refused. */
  @Column({ name: 'dpop_bound_access_tokens', type: 'boolean', default: false })
  dpopBoundAccessTokens!: boolean;

  /** RFC 8705 §2.1.2: the registered tls_client_auth_* field and its value. */
  @Column({ name: 'tls_client_auth_subject', type: 'jsonb', nullable: true })
  tlsClientAuthSubject!: { field: string; value: string } | null;

  /** RFC 8705 §3.4: access tokens are bound to the client certificate (`cnf` `x5t#S256`). */
  @Column({ name: 'tls_client_certificate_bound_access_tokens', type: 'boolean', default: false })
  tlsClientCertificateBoundAccessTokens!: boolean;

  @Column({ name: 'post_logout_redirect_uris', type: 'text', array: true, default: () => "'{}'" })
  postLogoutRedirectUris!: string[];

  @Column({ name: 'backchannel_logout_uri', type: 'varchar', length: 2000, nullable: true })
  backchannelLogoutUri!: string | null;

  /** The API identifiers whose tokens this client may introspect (set by an admin only). */
  @Column({ name: 'resource_server_for', type: 'text', array: true, default: () => "'{}'" })
  resourceServerFor!: string[];

  /** RFC 7592: hash of the token that lets a dynamically registered client manage itself. */
  @Column({ name: 'registration_access_token_hash', type: 'varchar', length: 64, nullable: true, select: false })
  registrationAccessTokenHash!: string | null;

  /** The registration policy of the initial access token it was registered with (RFC 7592 updates stay inside it); null for admin-made clients. */
  @Column({ name: 'registration_policy', type: 'jsonb', nullable: true })
  registrationPolicy!: Record<string, unknown> | null;

  /** The first-party admin console, the one client admin-API tokens are issued to; set only by the platform bootstrap. */
  @Column({ name: 'admin_console', type: 'boolean', default: false })
  adminConsole!: boolean;

  /** RFC 7591 §2 human-facing metadata, shown on the sign-in and consent pages. */
  /** Overrides of the tenant's endpoint rate limits (libs/protocol ENDPOINT_LIMITS); only an admin sets it. */
  @Column({ name: 'rate_limit_policy', type: 'jsonb', default: () => "'{}'" })
  rateLimitPolicy!: Record<string, number>;

  /** RFC 9126 §6: this client's authorization requests must be pushed. */
  @Column({ name: 'require_pushed_authorization_requests', type: 'boolean', default: false })
  requirePushedAuthorizationRequests!: boolean;

  /** RFC 9101 §10.5: this client's authorization requests must be signed request objects. */
  @Column({ name: 'require_signed_request_object', type: 'boolean', default: false })
  requireSignedRequestObject!: boolean;

  /** OIDC Dynamic Client Registration §2: the one algorithm its request objects are signed with; null means any allowed one. */
  @Column({ name: 'request_object_signing_alg', type: 'varchar', length: 16, nullable: true })
  requestObjectSigningAlg!: string | null;

  /** RFC 9396 §10: the tenant's authorization details types it may request; null means any. */
  @Column({ name: 'authorization_details_types', type: 'text', array: true, nullable: true })
  authorizationDetailsTypes!: string[] | null;

  @Column({ name: 'client_uri', type: 'varchar', length: 2000, nullable: true })
  clientUri!: string | null;

  @Column({ name: 'logo_uri', type: 'varchar', length: 2000, nullable: true })
  logoUri!: string | null;

  @Column({ name: 'policy_uri', type: 'varchar', length: 2000, nullable: true })
  policyUri!: string | null;

  @Column({ name: 'tos_uri', type: 'varchar', length: 2000, nullable: true })
  tosUri!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
