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

export class ApiRepository {
  constructor(private readonly manager: EntityManager) {}

  /** Null when the identifier is already registered in this tenant. */
  async insert(tenantId: TenantId, api: Omit<Api, 'id'>): Promise<Api | null> {
    const rows = await this.manager.query<ApiRow[]>(
      `INSERT INTO apis (tenant_id, identifier, name, scopes) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id, identifier) DO NOTHING RETURNING id, identifier, name, scopes`,
      [tenantId, api.identifier, api.name, [...api.scopes]],
    );
    return rows[0] ?? null;
  }

  async findByIdentifier(tenantId: TenantId, identifier: string): Promise<Api | null> {
    const rows = await this.manager.query<ApiRow[]>(
      `SELECT id, identifier, name, scopes FROM apis WHERE tenant_id = $1 AND identifier = $2`,
      [tenantId, identifier],
    );
    return rows[0] ?? null;
  }

  async listByTenant(tenantId: TenantId): Promise<Api[]> {
    return this.manager.query<ApiRow[]>(`SELECT id, identifier, name, scopes FROM apis WHERE tenant_id = $1 ORDER BY identifier`, [
      tenantId,
    ]);
  }
}
