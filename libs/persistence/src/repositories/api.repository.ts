import type { EntityManager } from 'typeorm';
import type { TenantId } from '@gatehouse/protocol';

/** An API (RFC 8707 resource) a tenant's access tokens can be for, with the scopes it defines. */
export interface Api {
  readonly id: string;
  readonly identifier: string;
  readonly name: string;
  readonly scopes: readonly string[];
}

interface ApiRow {
  id: string;
  identifier: string;
  name: string;
  scopes: string[];
}

const COLUMNS = 'id, identifier, name, scopes';
/** Ids are UUIDs: anything else is unknown, not a database error. */
const isUuid = (id: string): boolean => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

export class ApiRepository {
  constructor(private readonly manager: EntityManager) {}

  /** Null when the identifier is already registered in this tenant. */
  async insert(tenantId: TenantId, api: Omit<Api, 'id'>): Promise<Api | null> {
    const rows = await this.manager.query<ApiRow[]>(
      `INSERT INTO apis (tenant_id, identifier, name, scopes) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id, identifier) DO NOTHING RETURNING ${COLUMNS}`,
      [tenantId, api.identifier, api.name, [...api.scopes]],
    );
    return rows[0] ?? null;
  }

  async findById(tenantId: TenantId, id: string): Promise<Api | null> {
    if (!isUuid(id)) return null;
    const rows = await this.manager.query<ApiRow[]>(`SELECT ${COLUMNS} FROM apis WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
    return rows[0] ?? null;
  }

  async findByIdentifier(tenantId: TenantId, identifier: string): Promise<Api | null> {
    const rows = await this.manager.query<ApiRow[]>(`SELECT ${COLUMNS} FROM apis WHERE tenant_id = $1 AND identifier = $2`, [
      tenantId,
      identifier,
    ]);
    return rows[0] ?? null;
  }

  async listByTenant(tenantId: TenantId): Promise<Api[]> {
    return this.manager.query<ApiRow[]>(`SELECT ${COLUMNS} FROM apis WHERE tenant_id = $1 ORDER BY identifier`, [tenantId]);
  }

  /** Keyset pagination by identifier; the filters narrow the same ordering, so a cursor continues the filtered list. */
  async listPage(
    tenantId: TenantId,
    afterIdentifier: string | null,
    limit: number,
    filter: { readonly identifier?: string | undefined; readonly scope?: string | undefined } = {},
  ): Promise<Api[]> {
    return this.manager.query<ApiRow[]>(
      `SELECT ${COLUMNS} FROM apis
       WHERE tenant_id = $1 AND ($2::text IS NULL OR identifier = $2) AND ($3::text IS NULL OR $3 = ANY(scopes))
         AND ($4::text IS NULL OR identifier > $4)
       ORDER BY identifier LIMIT $5`,
      [tenantId, filter.identifier ?? null, filter.scope ?? null, afterIdentifier, limit],
    );
  }

  /**
   * Optimistic concurrency on the content: applies only if the row still has the name and
   * scopes the caller read; null when it changed or is gone.
   */
  async updateIfUnchanged(tenantId: TenantId, expected: Api, changes: Pick<Api, 'name' | 'scopes'>): Promise<Api | null> {
    if (!isUuid(expected.id)) return null;
    const [rows] = await this.manager.query<[ApiRow[], number]>(
      `UPDATE apis SET name = $5, scopes = $6
       WHERE tenant_id = $1 AND id = $2 AND name = $3 AND scopes = $4::text[] RETURNING ${COLUMNS}`,
      [tenantId, expected.id, expected.name, [...expected.scopes], changes.name, [...changes.scopes]],
    );
    return rows[0] ?? null;
  }

  /** Returns what was deleted, or null when this tenant has no such API. */
  async delete(tenantId: TenantId, id: string): Promise<Api | null> {
    if (!isUuid(id)) return null;
    const [rows] = await this.manager.query<[ApiRow[], number]>(`DELETE FROM apis WHERE tenant_id = $1 AND id = $2 RETURNING ${COLUMNS}`, [
      tenantId,
      id,
    ]);
    return rows[0] ?? null;
  }
}
