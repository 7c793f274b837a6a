import type { EntityManager } from 'typeorm';
import type { TenantId } from '@gatehouse/protocol';

/** A user's TOTP factor: pending until its first code is confirmed. */
export interface TotpFactor {
  readonly sealedSecret: string;
  readonly confirmedAt: Date | null;
  readonly lastUsedStep: number | null;
}

/** TOTP factors and recovery codes; secrets sealed, codes by digest, every use one conditional UPDATE. */
export class SecondFactorRepository {
  constructor(private readonly manager: EntityManager) {}

  async findTotp(tenantId: TenantId, userId: string): Promise<TotpFactor | null> {
    const rows = await this.manager.query<{ sealed_secret: string; confirmed_at: Date | null; last_used_step: string | null }[]>(
      `SELECT sealed_secret, confirmed_at, last_used_step FROM user_totp_factors WHERE tenant_id = $1 AND user_id = $2`,
      [tenantId, userId],
    );
    const row = rows[0];
    return row
      ? {
          sealedSecret: row.sealed_secret,
          confirmedAt: row.confirmed_at,
          lastUsedStep: row.last_used_step === null ? null : Number(row.last_used_step),
        }
      : null;
  }

  /** Whether the user has a second factor to give: a confirmed TOTP factor or a passkey (docs/adr/0010). */
  async hasConfirmedFactor(tenantId: TenantId, userId: string): Promise<boolean> {
    const rows = await this.manager.query<{ found: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM user_totp_factors WHERE tenant_id = $1 AND user_id = $2 AND confirmed_at IS NOT NULL)
           OR EXISTS (SELECT 1 FROM user_passkeys WHERE tenant_id = $1 AND user_id = $2) AS found`,
      [tenantId, userId],
    );
    return rows[0]?.found === true;
  }

  /** A new pending secret; a confirmed factor is never replaced (false then). */
  async savePendingTotp(tenantId: TenantId, userId: string, sealedSecret: string): Promise<boolean> {
    const rows = await this.manager.query<unknown[]>(
      `INSERT INTO user_totp_factors (tenant_id, user_id, sealed_secret) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id, user_id) DO UPDATE SET sealed_secret = EXCLUDED.sealed_secret, created_at = now()
       WHERE user_totp_factors.confirmed_at IS NULL RETURNING user_id`,
      [tenantId, userId, sealedSecret],
    );
    return rows.length === 1;
  }

  /** Confirms a pending factor with the step of its first code: true only for the call that confirmed it. */
  async confirmTotp(tenantId: TenantId, userId: string, step: number, now: Date): Promise<boolean> {
    const [rows] = await this.manager.query<[unknown[], number]>(
      `UPDATE user_totp_factors SET confirmed_at = $4, last_used_step = $3
       WHERE tenant_id = $1 AND user_id = $2 AND confirmed_at IS NULL RETURNING user_id`,
      [tenantId, userId, step, now],
    );
    return rows.length === 1;
  }

  /** RFC 6238 §5.2: records a step only if it is later than the last one; a concurrent replay gets false. */
  async useTotpStep(tenantId: TenantId, userId: string, step: number): Promise<boolean> {
    const [rows] = await this.manager.query<[unknown[], number]>(
      `UPDATE user_totp_factors SET last_used_step = $3
       WHERE tenant_id = $1 AND user_id = $2 AND confirmed_at IS NOT NULL AND (last_used_step IS NULL OR last_used_step < $3)
       RETURNING user_id`,
      [tenantId, userId, step],
    );
    return rows.length === 1;
  }

  /** Replaces all of a user's recovery codes with these digests. */
  async replaceRecoveryCodes(tenantId: TenantId, userId: string, codeHashes: readonly string[]): Promise<void> {
    await this.manager.query(`DELETE FROM user_recovery_codes WHERE tenant_id = $1 AND user_id = $2`, [tenantId, userId]);
    if (codeHashes.length === 0) return;
    await this.manager.query(`INSERT INTO user_recovery_codes (tenant_id, user_id, code_hash) SELECT $1, $2, unnest($3::varchar[])`, [
      tenantId,
      userId,
      codeHashes,
    ]);
  }

  /** A recovery code is single use: true only for the call that used it. */
  async useRecoveryCode(tenantId: TenantId, userId: string, codeHash: string, now: Date): Promise<boolean> {
    const [rows] = await this.manager.query<[unknown[], number]>(
      `UPDATE user_recovery_codes SET used_at = $4
       WHERE tenant_id = $1 AND user_id = $2 AND code_hash = $3 AND used_at IS NULL RETURNING code_hash`,
      [tenantId, userId, codeHash, now],
    );
    return rows.length === 1;
  }

  async countUnusedRecoveryCodes(tenantId: TenantId, userId: string): Promise<number> {
    const rows = await this.manager.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM user_recovery_codes WHERE tenant_id = $1 AND user_id = $2 AND used_at IS NULL`,
      [tenantId, userId],
    );
    return rows[0]?.count ?? 0;
  }

  /** Admin reset: removes the factor and the recovery codes; true when there was anything to remove. */
  async resetFactors(tenantId: TenantId, userId: string): Promise<boolean> {
    const [totp] = await this.manager.query<[unknown[], number]>(
      `DELETE FROM user_totp_factors WHERE tenant_id = $1 AND user_id = $2 RETURNING user_id`,
      [tenantId, userId],
    );
    const [codes] = await this.manager.query<[unknown[], number]>(
      `DELETE FROM user_recovery_codes WHERE tenant_id = $1 AND user_id = $2 RETURNING code_hash`,
      [tenantId, userId],
    );
    return totp.length + codes.length > 0;
  }
}
