import type { EntityManager } from 'typeorm';
import type { TenantId } from '@gatehouse/protocol';

/** Scopes granted for one API (RFC 8707 resource identifier), or for none: `null` is the OpenID scopes about the account. */
export interface ResourceScopes {
  readonly resource: string | null;
  readonly scopes: readonly string[];
}

export interface ResourceConsent extends ResourceScopes {
  /** When scopes for this resource were last granted. */
  readonly grantedAt: Date;
}

/** What a user granted one client. */
export interface Consent {
  readonly clientId: string;
  /** Every scope granted the client, whatever the API; `resources` says which API each one is for. */
  readonly scopes: readonly string[];
  /** When scopes were last granted (consents widen, so this is the latest grant). */
  readonly grantedAt: Date;
  /** Per API, the OpenID scopes (resource null) first. */
  readonly resources: readonly ResourceConsent[];
}

/** "No API" is stored as '': the column is part of the primary key, which cannot hold NULL. */
const NO_RESOURCE = '';
const toColumn = (resource: string | null): string => resource ?? NO_RESOURCE;
const fromColumn = (value: string): string | null => (value === NO_RESOURCE ? null : value);

/**
 * Scopes a user has granted a client, per resource: a later request needs no consent page
 * only when each (resource, scope) pair it asks for was granted (consent to `read` at one
 * API does not cover `read` at another).
 */
export class ConsentRepository {
  constructor(private readonly manager: EntityManager) {}

  /** The scopes granted for `resource` (null: no API). */
  async findScopes(tenantId: TenantId, userId: string, clientId: string, resource: string | null = null): Promise<string[]> {
    const rows = await this.manager.query<{ scopes: string[] }[]>(
      `SELECT scopes FROM consents WHERE tenant_id = $1 AND user_id = $2 AND client_id = $3 AND resource = $4`,
      [tenantId, userId, clientId, toColumn(resource)],
    );
    return rows[0]?.scopes ?? [];
  }

  /** Everything granted the client, one entry per resource, no API first. */
  async findGrants(tenantId: TenantId, userId: string, clientId: string): Promise<ResourceScopes[]> {
    const rows = await this.manager.query<{ resource: string; scopes: string[] }[]>(
      `SELECT resource, scopes FROM consents WHERE tenant_id = $1 AND user_id = $2 AND client_id = $3 ORDER BY resource`,
      [tenantId, userId, clientId],
    );
    return rows.map((row) => ({ resource: fromColumn(row.resource), scopes: row.scopes }));
  }

  /** Adds to what was granted before for `resource` (a union, never a narrowing). */
  async grant(
    tenantId: TenantId,
    userId: string,
    clientId: string,
    scopes: readonly string[],
    now: Date,
    resource: string | null = null,
  ): Promise<void> {
    await this.manager.query(
      `INSERT INTO consents (tenant_id, user_id, client_id, resource, scopes, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (tenant_id, user_id, client_id, resource) DO UPDATE
       SET scopes = ARRAY(SELECT DISTINCT unnest(consents.scopes || EXCLUDED.scopes)), updated_at = EXCLUDED.updated_at`,
      [tenantId, userId, clientId, toColumn(resource), [...scopes], now],
    );
  }

  /** Keyset pagination by client_id (one item per client, its resources inside); with `clientId`, only that client's consent. */
  async listForUser(
    tenantId: TenantId,
    userId: string,
    afterClientId: string | null,
    limit: number,
    clientId: string | null = null,
  ): Promise<Consent[]> {
    const rows = await this.manager.query<{ client_id: string; resources: string }[]>(
      `SELECT client_id,
              json_agg(json_build_object('resource', resource, 'scopes', scopes,
                'granted_ms', floor(extract(epoch FROM updated_at) * 1000)) ORDER BY resource)::text AS resources
       FROM consents
       WHERE tenant_id = $1 AND user_id = $2 AND ($3::varchar IS NULL OR client_id > $3) AND ($5::varchar IS NULL OR client_id = $5)
       GROUP BY client_id ORDER BY client_id ASC LIMIT $4`,
      [tenantId, userId, afterClientId, limit, clientId],
    );
    return rows.map((row) => toConsent(row.client_id, JSON.parse(row.resources) as ResourceRow[]));
  }

  /** Withdraws every consent the user gave the client; what it held, or null when there was none. */
  async revoke(tenantId: TenantId, userId: string, clientId: string): Promise<ResourceScopes[] | null> {
    const [rows] = await this.manager.query<[{ resource: string; scopes: string[] }[], number]>(
      `DELETE FROM consents WHERE tenant_id = $1 AND user_id = $2 AND client_id = $3 RETURNING resource, scopes`,
      [tenantId, userId, clientId],
    );
    if (rows.length === 0) return null;
    return rows
      .map((row) => ({ resource: fromColumn(row.resource), scopes: row.scopes }))
      .sort((a, b) => (a.resource ?? '').localeCompare(b.resource ?? ''));
  }

  /** Withdraws every consent for an API (it was deleted): an API created later under the same identifier is asked for anew. */
  async revokeForResource(tenantId: TenantId, resource: string): Promise<number> {
    const [, count] = await this.manager.query<[unknown[], number]>(`DELETE FROM consents WHERE tenant_id = $1 AND resource = $2`, [
      tenantId,
      resource,
    ]);
    return count;
  }
}

interface ResourceRow {
  resource: string;
  scopes: string[];
  granted_ms: number;
}

function toConsent(clientId: string, rows: readonly ResourceRow[]): Consent {
  const resources = rows.map((row) => ({ resource: fromColumn(row.resource), scopes: row.scopes, grantedAt: new Date(row.granted_ms) }));
  return {
    clientId,
    scopes: [...new Set(resources.flatMap((entry) => entry.scopes))],
    grantedAt: new Date(Math.max(...resources.map((entry) => entry.grantedAt.getTime()))),
    resources,
  };
}
