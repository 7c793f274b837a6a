import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Passkeys (issue 13, docs/adr/0010): WebAuthn credentials of a user, unique per tenant by
 * credential id; `counter` moves only forwards (one conditional UPDATE, W3C WebAuthn §6.1.1).
 * Ceremony challenges are kept by digest, bound to the interaction or session that asked for
 * them, and consumed once by one DELETE. A tenant may allow signing in with a passkey alone.
 */
export class CreatePasskeys1764860000000 implements MigrationInterface {
  name = 'CreatePasskeys1764860000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE "user_passkeys" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "tenant_id" uuid NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
        "user_id" uuid NOT NULL REFERENCES "users"("id") ON DELETE CASCADE,
        "credential_id" varchar(1400) NOT NULL,
        "public_key" text NOT NULL,
        "counter" bigint NOT NULL DEFAULT 0,
        "transports" text[] NOT NULL DEFAULT '{}',
        "device_type" varchar(16) NOT NULL,
        "backed_up" boolean NOT NULL,
        "name" varchar(100) NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "last_used_at" timestamptz,
        CONSTRAINT "pk_user_passkeys" PRIMARY KEY ("id"),
        CONSTRAINT "uq_user_passkeys_credential" UNIQUE ("tenant_id", "credential_id"),
        CONSTRAINT "ck_user_passkeys_device_type" CHECK ("device_type" IN ('singleDevice', 'multiDevice'))
      )`);
    await db.query(`CREATE INDEX "ix_user_passkeys_user" ON "user_passkeys" ("tenant_id", "user_id")`);
    await db.query(`
      CREATE TABLE "passkey_challenges" (
        "tenant_id" uuid NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
        "challenge_hash" varchar(64) NOT NULL,
        "purpose" varchar(16) NOT NULL,
        "binding" varchar(64) NOT NULL,
        "user_id" uuid,
        "expires_at" timestamptz NOT NULL,
        CONSTRAINT "pk_passkey_challenges" PRIMARY KEY ("tenant_id", "challenge_hash"),
        CONSTRAINT "ck_passkey_challenges_purpose" CHECK ("purpose" IN ('register', 'authenticate'))
      )`);
    await db.query(`CREATE INDEX "ix_passkey_challenges_expiry" ON "passkey_challenges" ("tenant_id", "expires_at")`);
    await db.query(`ALTER TABLE "tenants" ADD "passkey_login" varchar(16) NOT NULL DEFAULT 'second_factor'`);
    await db.query(
      `ALTER TABLE "tenants" ADD CONSTRAINT "ck_tenants_passkey_login" CHECK ("passkey_login" IN ('second_factor', 'passwordless'))`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "tenants" DROP CONSTRAINT "ck_tenants_passkey_login"`);
    await db.query(`ALTER TABLE "tenants" DROP COLUMN "passkey_login"`);
    await db.query(`DROP TABLE "passkey_challenges"`);
    await db.query(`DROP TABLE "user_passkeys"`);
  }
}
