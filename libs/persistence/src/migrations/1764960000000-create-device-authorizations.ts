import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Device authorization grant (RFC 8628): the tenant's switch, lifetime and polling interval, and
 * the pending device authorizations (by the SHA-256 of the device_code and of the normalized
 * user_code, never in plain), redeemed once by a conditional UPDATE.
 */
export class CreateDeviceAuthorizations1764960000000 implements MigrationInterface {
  name = 'CreateDeviceAuthorizations1764960000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "tenants" ADD "device_authorization" varchar(16) NOT NULL DEFAULT 'disabled'`);
    await db.query(`ALTER TABLE "tenants" ADD "device_code_lifetime_seconds" integer NOT NULL DEFAULT 600`);
    await db.query(`ALTER TABLE "tenants" ADD "device_polling_interval_seconds" integer NOT NULL DEFAULT 5`);
    await db.query(
      `ALTER TABLE "tenants" ADD CONSTRAINT "ck_tenants_device_authorization" CHECK ("device_authorization" IN ('disabled', 'enabled'))`,
    );
    await db.query(`
      CREATE TABLE "device_authorizations" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "tenant_id" uuid NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
        "client_id" varchar(128) NOT NULL,
        "device_code_hash" varchar(64) NOT NULL,
        "user_code_hash" varchar(64) NOT NULL,
        "scope" text NOT NULL DEFAULT '',
        "resource" text,
        "status" varchar(16) NOT NULL DEFAULT 'pending',
        "user_id" uuid,
        "session_id" uuid,
        "auth_time" timestamptz,
        "amr" jsonb,
        "interval_seconds" integer NOT NULL,
        "last_polled_at" timestamptz,
        "expires_at" timestamptz NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_device_authorizations" PRIMARY KEY ("id"),
        CONSTRAINT "ck_device_authorizations_status" CHECK ("status" IN ('pending', 'approved', 'denied', 'consumed'))
      )`);
    await db.query(
      `CREATE UNIQUE INDEX "uq_device_authorizations_tenant_device_code" ON "device_authorizations" ("tenant_id", "device_code_hash")`,
    );
    await db.query(
      `CREATE UNIQUE INDEX "uq_device_authorizations_tenant_user_code" ON "device_authorizations" ("tenant_id", "user_code_hash")`,
    );
    await db.query(`CREATE INDEX "ix_device_authorizations_tenant_expires" ON "device_authorizations" ("tenant_id", "expires_at")`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE "device_authorizations"`);
    await db.query(`ALTER TABLE "tenants" DROP CONSTRAINT "ck_tenants_device_authorization"`);
    await db.query(
      `ALTER TABLE "tenants" DROP COLUMN "device_polling_interval_seconds", DROP COLUMN "device_code_lifetime_seconds", DROP COLUMN "device_authorization"`,
    );
  }
}
