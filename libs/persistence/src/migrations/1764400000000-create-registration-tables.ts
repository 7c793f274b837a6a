import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Initial access tokens for dynamic client registration (RFC 7591 §3) and the registration access token of each client (RFC 7592). */
export class CreateRegistrationTables1764400000000 implements MigrationInterface {
  name = 'CreateRegistrationTables1764400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE "registration_tokens" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "tenant_id" uuid NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
        "token_hash" varchar(64) NOT NULL,
        "expires_at" timestamptz NOT NULL,
        "revoked_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_registration_tokens" PRIMARY KEY ("id")
      )`);
    await db.query(`CREATE UNIQUE INDEX "uq_registration_tokens_tenant_hash" ON "registration_tokens" ("tenant_id", "token_hash")`);
    await db.query(`ALTER TABLE "clients" ADD "registration_access_token_hash" varchar(64)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "clients" DROP COLUMN "registration_access_token_hash"`);
    await db.query(`DROP TABLE "registration_tokens"`);
  }
}
