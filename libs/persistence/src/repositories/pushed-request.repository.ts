import type { EntityManager } from 'typeorm';
import type { TenantId } from '@gatehouse/protocol';

/** An authorization request pushed by a client (RFC 9126), stored by the hash of its request_uri. */
export interface NewPushedRequest {
  readonly requestUriHash: string;
  readonly clientId: string;
  /** The authorization request's parameters, client authentication removed. */
  readonly params: Readonly<Record<string, string>>;
  /** Whether they came from a verified request object (RFC 9101). */
  readonly signed: boolean;
  readonly expiresAt: Date;
}

export interface PushedRequest {
  readonly params: Readonly<Record<string, string>>;
  readonly signed: boolean;
}

/** Pushed authorization requests of one tenant; each is bound to its client and used once. */
export class PushedRequestRepository {
  constructor(private readonly manager: EntityManager) {}

  /** Stores the request and drops the tenant's expired ones (kept small without a sweeper). */
  async insert(tenantId: TenantId, request: NewPushedRequest, now: Date): Promise<void> {
    await this.manager.query(`DELETE FROM pushed_authorization_requests WHERE tenant_id = $1 AND expires_at <= $2`, [tenantId, now]);
    await this.manager.query(
      `INSERT INTO pushed_authorization_requests (tenant_id, request_uri_hash, client_id, params, signed, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [tenantId, request.requestUriHash, request.clientId, JSON.stringify(request.params), request.signed, request.expiresAt],
    );
  }

  /**
   * RFC 9126 §4: single use. One conditional DELETE takes the request if it is this client's and
   * unexpired; null for an unknown, expired, already used or other client's request_uri. Another
   * client's attempt leaves it in place for its owner.
   */
  async consume(tenantId: TenantId, requestUriHash: string, clientId: string, now: Date): Promise<PushedRequest | null> {
    const [rows] = await this.manager.query<[{ params: Record<string, string>; signed: boolean }[], number]>(
      `DELETE FROM pushed_authorization_requests
       WHERE tenant_id = $1 AND request_uri_hash = $2 AND client_id = $3 AND expires_at > $4
       RETURNING params, signed`,
      [tenantId, requestUriHash, clientId, now],
    );
    const row = rows[0];
    return row ? { params: row.params, signed: row.signed } : null;
  }
}
