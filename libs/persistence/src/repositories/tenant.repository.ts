import type { EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { asTenantId, type TenantId } from '@gatehouse/protocol';
import { TenantEntity, type AuthorizationRequestMode, type ConsentPolicy, type PasskeyLogin } from '../entities/tenant.entity.js';
import { likeLiteral } from './like-pattern.js';

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
    const row = await this.manager.findOne(TenantEntity, { where: { slug } });
    return row ? toTenant(row) : null;
  }

  async findById(id: TenantId): Promise<Tenant | null> {
    const row = await this.manager.findOne(TenantEntity, { where: { id } });
    return row ? toTenant(row) : null;
  }

  /** Keyset pagination by slug; the filters narrow the same ordering, so a cursor continues the filtered list. */
  async listPage(
    afterSlug: string | null,
    limit: number,
    filter: { readonly status?: Tenant['status'] | undefined; readonly slugPrefix?: string | undefined } = {},
  ): Promise<Tenant[]> {
    const query = this.manager.createQueryBuilder(TenantEntity, 't').where('TRUE').orderBy('t.slug', 'ASC').limit(limit);
    if (filter.status !== undefined) query.andWhere('t.status = :status', { status: filter.status });
    if (filter.slugPrefix !== undefined)
      query.andWhere("t.slug LIKE :prefix ESCAPE '\\'", { prefix: `${likeLiteral(filter.slugPrefix)}%` });
    if (afterSlug !== null) query.andWhere('t.slug > :after', { after: afterSlug });
    return (await query.getMany()).map(toTenant);
  }

  /**
   * Optimistic concurrency: applies only if the row is still the version the caller
   * read (its updated_at); null when someone else changed it first.
   */
  async updateIfUnchanged(id: TenantId, expectedUpdatedAt: Date, settings: TenantSettings): Promise<Tenant | null> {
    const result = await this.manager
      .createQueryBuilder()
      .update(TenantEntity)
      // jsonb members (policies, authorization details types) are plain JSON; TypeORM's deep-partial type cannot say so.
      .set({ ...toColumns(settings), updatedAt: () => 'clock_timestamp()' } as QueryDeepPartialEntity<TenantEntity>)
      // JavaScript dates carry milliseconds; PostgreSQL keeps microseconds.
      .where("id = :id AND date_trunc('milliseconds', updated_at) = :expected", { id, expected: expectedUpdatedAt })
      .execute();
    return (result.affected ?? 0) === 1 ? this.findById(id) : null;
  }

  /** Deletes the tenant; every row of it (users, clients, keys, sessions, audit) cascades. False when it was not there. */
  async remove(id: TenantId): Promise<boolean> {
    const deleted = await this.manager.query<{ id: string }[]>(`DELETE FROM tenants WHERE id = $1 RETURNING id`, [id]);
    return deleted.length > 0;
  }

  async list(): Promise<Tenant[]> {
    const rows = await this.manager.find(TenantEntity, { order: { slug: 'ASC' } });
    return rows.map(toTenant);
  }

  /** Null when the slug is taken. */
  async insert(tenant: NewTenant): Promise<Tenant | null> {
    const result = await this.manager
      .createQueryBuilder()
      .insert()
      .into(TenantEntity)
      .values({
        slug: tenant.slug,
        name: tenant.name,
        ...(tenant.accessTokenAlg ? { accessTokenAlg: tenant.accessTokenAlg } : {}),
        ...(tenant.securityProfile ? { securityProfile: tenant.securityProfile } : {}),
      })
      .orIgnore()
      .returning('*')
      .execute();
    const raw = (result.raw as Record<string, unknown>[])[0];
    if (!raw) return null;
    return this.findBySlug(tenant.slug);
  }
}

function toTenant(row: TenantEntity): Tenant {
  return {
    id: asTenantId(row.id),
    slug: row.slug,
    name: row.name,
    status: row.status,
    accessTokenAlg: row.accessTokenAlg,
    accessTokenTtlSeconds: row.accessTokenTtlSeconds,
    idTokenTtlSeconds: row.idTokenTtlSeconds,
    sessionTtlSeconds: row.sessionTtlSeconds,
    acceptTokenEndpointAudience: row.acceptTokenEndpointAudience,
    refreshTokenIdleTtlSeconds: row.refreshTokenIdleTtlSeconds,
    refreshTokenAbsoluteTtlSeconds: row.refreshTokenAbsoluteTtlSeconds,
    refreshWithoutOfflineAccess: row.refreshWithoutOfflineAccess,
    auditRetentionDays: row.auditRetentionDays,
    consentPolicy: row.consentPolicy,
    passkeyLogin: row.passkeyLogin,
    webLoopbackRedirects: row.webLoopbackRedirects,
    pushedAuthorizationRequests: row.pushedAuthorizationRequests,
    requestObjects: row.requestObjects,
    parLifetimeSeconds: row.parLifetimeSeconds,
    riskPolicy: row.riskPolicy,
    rateLimitPolicy: row.rateLimitPolicy,
    mfaPolicy: row.mfaPolicy ?? {},
    dpopPolicy: row.dpopPolicy ?? {},
    mtlsEnabled: row.mtlsEnabled ?? false,
    securityProfile: row.securityProfile === 'fapi2' ? 'fapi2' : 'none',
    deviceAuthorization: {
      enabled: row.deviceAuthorization === 'enabled',
      codeLifetimeSeconds: row.deviceCodeLifetimeSeconds ?? 600,
      pollingIntervalSeconds: row.devicePollingIntervalSeconds ?? 5,
    },
    authorizationDetailsTypes: (row.authorizationDetailsTypes ?? {}) as Record<string, Record<string, unknown>>,
    branding: toBranding(row.branding),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
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
