import type { EntityManager } from 'typeorm';
import { asTenantId, type TenantId } from '@gatehouse/protocol';
import { likeLiteral } from './like-pattern.js';
import { assignmentsOf, columnValues, SqlConditions } from './sql-columns.js';

export type ConsentPolicy = 'skip_first_party' | 'always';

/** How authorization requests may or must arrive (RFC 9126 PAR, RFC 9101 request objects). */
export type AuthorizationRequestMode = 'disabled' | 'enabled' | 'required';

export type PasskeyLogin = 'second_factor' | 'passwordless';

export interface Tenant {
  readonly id: TenantId;
  readonly slug: string;
  readonly name: string;
  readonly status: 'active' | 'disabled';
  readonly accessTokenAlg: string;
  readonly accessTokenTtlSeconds: number;
  readonly idTokenTtlSeconds: number;
  readonly sessionTtlSeconds: number;
  readonly acceptTokenEndpointAudience: boolean;
  readonly refreshTokenIdleTtlSeconds: number;
  readonly refreshTokenAbsoluteTtlSeconds: number;
  readonly refreshWithoutOfflineAccess: boolean;
  readonly auditRetentionDays: number;
  readonly consentPolicy: ConsentPolicy;
  readonly passkeyLogin: PasskeyLogin;
  readonly webLoopbackRedirects: boolean;
  /** RFC 9126: /par off, offered, or required for every client. */
  readonly pushedAuthorizationRequests: AuthorizationRequestMode;
  /** RFC 9101: the `request` parameter off, offered, or required for every client. */
  readonly requestObjects: AuthorizationRequestMode;
  readonly parLifetimeSeconds: number;
  readonly riskPolicy: Readonly<Record<string, number>>;
  readonly rateLimitPolicy: Readonly<Record<string, number>>;
  readonly mfaPolicy: Readonly<Record<string, string>>;
  readonly dpopPolicy: Readonly<Record<string, number | boolean>>;
  /** RFC 8705 mutual TLS client authentication and certificate-bound tokens. */
  readonly mtlsEnabled: boolean;
  /** `fapi2`: the FAPI 2.0 Security Profile applies to every client (docs/adr/0020). */
  readonly securityProfile: 'none' | 'fapi2';
  /** RFC 8628 device authorization grant (docs/adr/0017). */
  readonly deviceAuthorization: DeviceAuthorizationSettings;
  /** RFC 9396: the authorization details types the tenant accepts, each with its JSON Schema. */
  readonly authorizationDetailsTypes: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly branding: TenantBranding;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface TenantSettings {
  readonly name?: string;
  readonly status?: 'active' | 'disabled';
  readonly accessTokenTtlSeconds?: number;
  readonly idTokenTtlSeconds?: number;
  readonly refreshTokenIdleTtlSeconds?: number;
  readonly refreshTokenAbsoluteTtlSeconds?: number;
  readonly refreshWithoutOfflineAccess?: boolean;
  readonly auditRetentionDays?: number;
  readonly accessTokenAlg?: string;
  readonly consentPolicy?: ConsentPolicy;
  readonly passkeyLogin?: PasskeyLogin;
  readonly webLoopbackRedirects?: boolean;
  readonly acceptTokenEndpointAudience?: boolean;
  readonly pushedAuthorizationRequests?: AuthorizationRequestMode;
  readonly requestObjects?: AuthorizationRequestMode;
  readonly parLifetimeSeconds?: number;
  readonly riskPolicy?: Record<string, number>;
  readonly rateLimitPolicy?: Record<string, number>;
  readonly mfaPolicy?: Record<string, string>;
  readonly dpopPolicy?: Record<string, number | boolean>;
  readonly mtlsEnabled?: boolean;
  readonly securityProfile?: 'none' | 'fapi2';
  readonly deviceAuthorization?: 'disabled' | 'enabled';
  readonly deviceCodeLifetimeSeconds?: number;
  readonly devicePollingIntervalSeconds?: number;
  /** Replaces the stored types as a whole. */
  readonly authorizationDetailsTypes?: Record<string, unknown>;
  /** Replaces the stored branding as a whole. */
  readonly branding?: TenantBranding;
}

/** The sign-in pages' look; every field optional (the default look stands in). Validated by the admin API. */
export interface TenantBranding {
  /** https URL (http only on a loopback host) or a data:image URI. */
  readonly logoUri?: string;
  /** `#rrggbb`. */
  readonly primaryColor?: string;
  /** Replaces the tenant's name in page titles and headings. */
  readonly pageTitle?: string;
  /** A help page or mailto: link shown under every page. */
  readonly supportUri?: string;
}

export interface NewTenant {
  readonly slug: string;
  readonly name: string;
  readonly accessTokenAlg?: string;
  readonly securityProfile?: 'none' | 'fapi2';
}

export interface DeviceAuthorizationSettings {
  readonly enabled: boolean;
  readonly codeLifetimeSeconds: number;
  readonly pollingIntervalSeconds: number;
}

/** Tenants are the root of tenancy: looked up by slug (the issuer path) or id. */
export class TenantRepository {
  constructor(private readonly manager: EntityManager) {}

  async findBySlug(slug: string): Promise<Tenant | null> {
    const rows = await this.manager.query<TenantRow[]>(`SELECT ${COLUMNS} FROM tenants WHERE slug = $1`, [slug]);
    return rows[0] ? toTenant(rows[0]) : null;
  }

  async findById(id: TenantId): Promise<Tenant | null> {
    const rows = await this.manager.query<TenantRow[]>(`SELECT ${COLUMNS} FROM tenants WHERE id = $1`, [id]);
    return rows[0] ? toTenant(rows[0]) : null;
  }

  /** Keyset pagination by slug; the filters narrow the same ordering, so a cursor continues the filtered list. */
  async listPage(
    afterSlug: string | null,
    limit: number,
    filter: { readonly status?: Tenant['status'] | undefined; readonly slugPrefix?: string | undefined } = {},
  ): Promise<Tenant[]> {
    const where = new SqlConditions([], 'TRUE');
    if (filter.status !== undefined) where.add((p) => `status = ${p}`, filter.status);
    if (filter.slugPrefix !== undefined) where.add((p) => `slug LIKE ${p} ESCAPE '\\'`, `${likeLiteral(filter.slugPrefix)}%`);
    if (afterSlug !== null) where.add((p) => `slug > ${p}`, afterSlug);
    const rows = await this.manager.query<TenantRow[]>(
      `SELECT ${COLUMNS} FROM tenants WHERE ${where.sql} ORDER BY slug ASC LIMIT ${where.param(limit)}`,
      where.params,
    );
    return rows.map(toTenant);
  }

  /**
   * Optimistic concurrency: applies only if the row is still the version the caller
   * read (its updated_at); null when someone else changed it first.
   */
  async updateIfUnchanged(id: TenantId, expectedUpdatedAt: Date, settings: TenantSettings): Promise<Tenant | null> {
    const set = assignmentsOf(toColumns(settings), 2, JSON_FIELDS);
    // JavaScript dates carry milliseconds; PostgreSQL keeps microseconds.
    const [rows] = await this.manager.query<[TenantRow[], number]>(
      `UPDATE tenants SET ${[...set.sql, 'updated_at = clock_timestamp()'].join(', ')}
       WHERE id = $1 AND date_trunc('milliseconds', updated_at) = $2 RETURNING ${COLUMNS}`,
      [id, expectedUpdatedAt, ...set.params],
    );
    return rows[0] ? toTenant(rows[0]) : null;
  }

  /** Deletes the tenant; every row of it (users, clients, keys, sessions, audit) cascades. False when it was not there. */
  async remove(id: TenantId): Promise<boolean> {
    const [deleted] = await this.manager.query<[{ id: string }[], number]>(`DELETE FROM tenants WHERE id = $1 RETURNING id`, [id]);
    return deleted.length > 0;
  }

  async list(): Promise<Tenant[]> {
    const rows = await this.manager.query<TenantRow[]>(`SELECT ${COLUMNS} FROM tenants ORDER BY slug ASC`);
    return rows.map(toTenant);
  }

  /** Null when the slug is taken. */
  async insert(tenant: NewTenant): Promise<Tenant | null> {
    const { columns, placeholders, params } = columnValues(
      { slug: tenant.slug, name: tenant.name, accessTokenAlg: tenant.accessTokenAlg || undefined, securityProfile: tenant.securityProfile },
      0,
      JSON_FIELDS,
    );
    const rows = await this.manager.query<TenantRow[]>(
      `INSERT INTO tenants (${columns.join(', ')}) VALUES (${placeholders.join(', ')}) ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
      params,
    );
    return rows[0] ? toTenant(rows[0]) : null;
  }
}

/** The jsonb columns' fields. */
const JSON_FIELDS: ReadonlySet<string> = new Set([
  'riskPolicy',
  'rateLimitPolicy',
  'mfaPolicy',
  'dpopPolicy',
  'authorizationDetailsTypes',
  'branding',
]);

const COLUMNS = `id, slug, name, status, access_token_alg, access_token_ttl_seconds, id_token_ttl_seconds, session_ttl_seconds,
  accept_token_endpoint_audience, refresh_token_idle_ttl_seconds, refresh_token_absolute_ttl_seconds, refresh_without_offline_access,
  consent_policy, passkey_login, web_loopback_redirects, pushed_authorization_requests, request_objects, par_lifetime_seconds,
  risk_policy, rate_limit_policy, mfa_policy, dpop_policy, mtls_enabled, security_profile, device_authorization,
  device_code_lifetime_seconds, device_polling_interval_seconds, authorization_details_types, audit_retention_days, branding,
  created_at, updated_at`;

interface TenantRow {
  id: string;
  slug: string;
  name: string;
  status: 'active' | 'disabled';
  access_token_alg: string;
  access_token_ttl_seconds: number;
  id_token_ttl_seconds: number;
  session_ttl_seconds: number;
  accept_token_endpoint_audience: boolean;
  refresh_token_idle_ttl_seconds: number;
  refresh_token_absolute_ttl_seconds: number;
  refresh_without_offline_access: boolean;
  consent_policy: ConsentPolicy;
  passkey_login: PasskeyLogin;
  web_loopback_redirects: boolean;
  pushed_authorization_requests: AuthorizationRequestMode;
  request_objects: AuthorizationRequestMode;
  par_lifetime_seconds: number;
  risk_policy: Record<string, number>;
  rate_limit_policy: Record<string, number>;
  mfa_policy: Record<string, string> | null;
  dpop_policy: Record<string, number | boolean> | null;
  mtls_enabled: boolean | null;
  security_profile: string;
  device_authorization: string;
  device_code_lifetime_seconds: number | null;
  device_polling_interval_seconds: number | null;
  authorization_details_types: Record<string, unknown> | null;
  audit_retention_days: number;
  branding: Record<string, string> | null;
  created_at: Date;
  updated_at: Date;
}

function toTenant(row: TenantRow): Tenant {
  return {
    id: asTenantId(row.id),
    slug: row.slug,
    name: row.name,
    status: row.status,
    accessTokenAlg: row.access_token_alg,
    accessTokenTtlSeconds: row.access_token_ttl_seconds,
    idTokenTtlSeconds: row.id_token_ttl_seconds,
    sessionTtlSeconds: row.session_ttl_seconds,
    acceptTokenEndpointAudience: row.accept_token_endpoint_audience,
    refreshTokenIdleTtlSeconds: row.refresh_token_idle_ttl_seconds,
    refreshTokenAbsoluteTtlSeconds: row.refresh_token_absolute_ttl_seconds,
    refreshWithoutOfflineAccess: row.refresh_without_offline_access,
    auditRetentionDays: row.audit_retention_days,
    consentPolicy: row.consent_policy,
    passkeyLogin: row.passkey_login,
    webLoopbackRedirects: row.web_loopback_redirects,
    pushedAuthorizationRequests: row.pushed_authorization_requests,
    requestObjects: row.request_objects,
    parLifetimeSeconds: row.par_lifetime_seconds,
    riskPolicy: row.risk_policy,
    rateLimitPolicy: row.rate_limit_policy,
    mfaPolicy: row.mfa_policy ?? {},
    dpopPolicy: row.dpop_policy ?? {},
    mtlsEnabled: row.mtls_enabled ?? false,
    securityProfile: row.security_profile === 'fapi2' ? 'fapi2' : 'none',
    deviceAuthorization: {
      enabled: row.device_authorization === 'enabled',
      codeLifetimeSeconds: row.device_code_lifetime_seconds ?? 600,
      pollingIntervalSeconds: row.device_polling_interval_seconds ?? 5,
    },
    authorizationDetailsTypes: (row.authorization_details_types ?? {}) as Record<string, Record<string, unknown>>,
    branding: toBranding(row.branding),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const BRANDING_FIELDS = { logoUri: 'logo_uri', primaryColor: 'primary_color', pageTitle: 'page_title', supportUri: 'support_uri' } as const;

function toBranding(stored: Record<string, string> | null | undefined): TenantBranding {
  const branding: Record<string, string> = {};
  for (const [field, column] of Object.entries(BRANDING_FIELDS)) {
    const value = stored?.[column];
    if (typeof value === 'string') branding[field] = value;
  }
  return branding;
}

/** Branding is stored under its wire names, so the JSON column reads the same in SQL and the API. */
function toColumns(settings: TenantSettings): Omit<TenantSettings, 'branding'> & { branding?: Record<string, string> } {
  const { branding, ...rest } = settings;
  if (branding === undefined) return rest;
  const stored: Record<string, string> = {};
  for (const [field, column] of Object.entries(BRANDING_FIELDS)) {
    const value = branding[field as keyof TenantBranding];
    if (value !== undefined) stored[column] = value;
  }
  return { ...rest, branding: stored };
}
