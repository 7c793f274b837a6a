import type { EntityManager } from 'typeorm';
import type { TenantId } from '@gatehouse/protocol';

/** A WebAuthn credential of a user (W3C WebAuthn §4 "public key credential source", server side). */
export interface Passkey {
  /** Our id, what the security page names it by; never the credential id. */
  readonly id: string;
  readonly userId: string;
  /** base64url, as the authenticator reported it. */
  readonly credentialId: string;
  /** base64url of the COSE public key. */
  readonly publicKey: string;
  readonly counter: number;
  readonly transports: readonly string[];
  readonly deviceType: 'singleDevice' | 'multiDevice';
  readonly backedUp: boolean;
  readonly name: string;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
}

export type NewPasskey = Omit<Passkey, 'id' | 'createdAt' | 'lastUsedAt'>;

interface PasskeyRow {
  id: string;
  user_id: string;
  credential_id: string;
  public_key: string;
  counter: string;
  transports: string[];
  device_type: 'singleDevice' | 'multiDevice';
  backed_up: boolean;
  name: string;
  created_at: Date;
  last_used_at: Date | null;
}

const COLUMNS = `id, user_id, credential_id, public_key, counter, transports, device_type, backed_up, name, created_at, last_used_at`;

/** Passkeys of a tenant's users; the signature counter only moves forwards (one conditional UPDATE). */
export class PasskeyRepository {
  constructor(private readonly manager: EntityManager) {}

  /** Null when this credential id is already registered in the tenant (to this or another user). */
  async insert(tenantId: TenantId, passkey: NewPasskey): Promise<Passkey | null> {
    const rows = await this.manager.query<PasskeyRow[]>(
      `INSERT INTO user_passkeys (tenant_id, user_id, credential_id, public_key, counter, transports, device_type, backed_up, name)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (tenant_id, credential_id) DO NOTHING RETURNING ${COLUMNS}`,
      [
        tenantId,
        passkey.userId,
        passkey.credentialId,
        passkey.publicKey,
        passkey.counter,
        [...passkey.transports],
        passkey.deviceType,
        passkey.backedUp,
        passkey.name,
      ],
    );
    return rows[0] ? toPasskey(rows[0]) : null;
  }

  async findByCredentialId(tenantId: TenantId, credentialId: string): Promise<Passkey | null> {
    const rows = await this.manager.query<PasskeyRow[]>(
      `SELECT ${COLUMNS} FROM user_passkeys WHERE tenant_id = $1 AND credential_id = $2`,
      [tenantId, credentialId],
    );
    return rows[0] ? toPasskey(rows[0]) : null;
  }

  /** Oldest first, as the security page lists them. */
  async listForUser(tenantId: TenantId, userId: string): Promise<Passkey[]> {
    const rows = await this.manager.query<PasskeyRow[]>(
      `SELECT ${COLUMNS} FROM user_passkeys WHERE tenant_id = $1 AND user_id = $2 ORDER BY created_at, id`,
      [tenantId, userId],
    );
    return rows.map(toPasskey);
  }

  async countForUser(tenantId: TenantId, userId: string): Promise<number> {
    const rows = await this.manager.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM user_passkeys WHERE tenant_id = $1 AND user_id = $2`,
      [tenantId, userId],
    );
    return rows[0]?.count ?? 0;
  }

  /**
   * W3C WebAuthn §6.1.1: a signature counter must exceed the stored one, unless both are 0 (an
   * authenticator without a counter). True only for the call that recorded this use: a cloned
   * authenticator's (or a concurrent replay's) lower or equal counter matches no row.
   */
  async recordUse(tenantId: TenantId, id: string, counter: number, now: Date): Promise<boolean> {
    const [rows] = await this.manager.query<[unknown[], number]>(
      `UPDATE user_passkeys SET counter = $3, last_used_at = $4
       WHERE tenant_id = $1 AND id = $2 AND (counter < $3 OR (counter = 0 AND $3 = 0)) RETURNING id`,
      [tenantId, id, counter, now],
    );
    return rows.length === 1;
  }

  /** The user's own passkey only; the removed passkey, or null. */
  async remove(tenantId: TenantId, userId: string, id: string): Promise<Passkey | null> {
    if (!UUID.test(id)) return null;
    const [rows] = await this.manager.query<[PasskeyRow[], number]>(
      `DELETE FROM user_passkeys WHERE tenant_id = $1 AND user_id = $2 AND id = $3 RETURNING ${COLUMNS}`,
      [tenantId, userId, id],
    );
    return rows[0] ? toPasskey(rows[0]) : null;
  }

  /** Admin reset: every passkey of the user; how many were removed. */
  async removeAll(tenantId: TenantId, userId: string): Promise<number> {
    const [rows] = await this.manager.query<[unknown[], number]>(
      `DELETE FROM user_passkeys WHERE tenant_id = $1 AND user_id = $2 RETURNING id`,
      [tenantId, userId],
    );
    return rows.length;
  }

  /**
   * A ceremony's challenge, by digest, bound to what asked for it. The tenant's expired ones go
   * first, so the table holds only the last few minutes' pages (most are never posted).
   */
  async saveChallenge(tenantId: TenantId, challenge: PasskeyChallenge, now: Date): Promise<void> {
    await this.manager.query(`DELETE FROM passkey_challenges WHERE tenant_id = $1 AND expires_at <= $2`, [tenantId, now]);
    await this.manager.query(
      `INSERT INTO passkey_challenges (tenant_id, challenge_hash, purpose, binding, user_id, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [tenantId, challenge.challengeHash, challenge.purpose, challenge.binding, challenge.userId, challenge.expiresAt],
    );
  }

  /**
   * Single use: deletes the challenge if it is this binding's, for this purpose and unexpired;
   * true only for the call that consumed it.
   */
  async consumeChallenge(
    tenantId: TenantId,
    challenge: Pick<PasskeyChallenge, 'challengeHash' | 'purpose' | 'binding'>,
    now: Date,
  ): Promise<boolean> {
    const [rows] = await this.manager.query<[unknown[], number]>(
      `DELETE FROM passkey_challenges
       WHERE tenant_id = $1 AND challenge_hash = $2 AND purpose = $3 AND binding = $4 AND expires_at > $5 RETURNING challenge_hash`,
      [tenantId, challenge.challengeHash, challenge.purpose, challenge.binding, now],
    );
    return rows.length === 1;
  }
}

export interface PasskeyChallenge {
  readonly challengeHash: string;
  readonly purpose: 'register' | 'authenticate';
  /** What the ceremony belongs to: a digest of the interaction or the session. */
  readonly binding: string;
  readonly userId: string | null;
  readonly expiresAt: Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function toPasskey(row: PasskeyRow): Passkey {
  return {
    id: row.id,
    userId: row.user_id,
    credentialId: row.credential_id,
    publicKey: row.public_key,
    counter: Number(row.counter),
    transports: row.transports,
    deviceType: row.device_type,
    backedUp: row.backed_up,
    name: row.name,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
  };
}
