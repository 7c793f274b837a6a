import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * TOTP second factor (issue 13, docs/adr/0008): one factor per user, its secret sealed with
 * AES-256-GCM under the key-encryption key; `last_used_step` makes each code single use
 * (RFC 6238 §5.2). Recovery codes are stored as HMAC-SHA-256 digests, used once. The login
 * interaction gains the states between password and consent.
 */
export class CreateTotpFactors1764830000000 implements MigrationInterface {
  name = 'CreateTotpFactors1764830000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE "user_totp_factors" (
        "tenant_id" uuid NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
        "user_id" uuid NOT NULL REFERENCES "users"("id") ON DELETE CASCADE,
        "sealed_secret" text NOT NULL,
        "confirmed_at" timestamptz,
        "last_used_step" bigint,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_user_totp_factors" PRIMARY KEY ("tenant_id", "user_id")
      )`);
    await db.query(`
      CREATE TABLE "user_recovery_codes" (
        "tenant_id" uuid NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
        "user_id" uuid NOT NULL REFERENCES "users"("id") ON DELETE CASCADE,
        "code_hash" varchar(64) NOT NULL,
        "used_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_user_recovery_codes" PRIMARY KEY ("tenant_id", "user_id", "code_hash")
      )`);
    await db.query(`ALTER TABLE "interactions" DROP CONSTRAINT "ck_interactions_state"`);
    await db.query(
      `ALTER TABLE "interactions" ADD CONSTRAINT "ck_interactions_state"
       CHECK ("state" IN ('login', 'second_factor', 'enrol', 'consent', 'done'))`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DELETE FROM "interactions" WHERE "state" IN ('second_factor', 'enrol')`);
    await db.query(`ALTER TABLE "interactions" DROP CONSTRAINT "ck_interactions_state"`);
    await db.query(`ALTER TABLE "interactions" ADD CONSTRAINT "ck_interactions_state" CHECK ("state" IN ('login', 'consent', 'done'))`);
    await db.query(`DROP TABLE "user_recovery_codes"`);
    await db.query(`DROP TABLE "user_totp_factors"`);
  }
}
