import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Pushed authorization requests (RFC 9126) and signed request objects (RFC 9101): the tenant's
 * switches and the PAR lifetime, the client's requirements and request object algorithm, and the
 * pushed requests themselves (by the hash of their request_uri, used once).
 */
export class CreatePushedAuthorizationRequests1764900000000 implements MigrationInterface {
  name = 'CreatePushedAuthorizationRequests1764900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "tenants" ADD "pushed_authorization_requests" varchar(16) NOT NULL DEFAULT 'disabled'`);
    await db.query(`ALTER TABLE "tenants" ADD "request_objects" varchar(16) NOT NULL DEFAULT 'disabled'`);
    await db.query(`ALTER TABLE "tenants" ADD "par_lifetime_seconds" integer NOT NULL DEFAULT 60`);
    await db.query(
      `ALTER TABLE "tenants" ADD CONSTRAINT "ck_tenants_pushed_authorization_requests" CHECK ("pushed_authorization_requests" IN ('disabled', 'enabled', 'required'))`,
    );
    await db.query(
      `ALTER TABLE "tenants" ADD CONSTRAINT "ck_tenants_request_objects" CHECK ("request_objects" IN ('disabled', 'enabled', 'required'))`,
    );
    await db.query(`ALTER TABLE "clients" ADD "require_pushed_authorization_requests" boolean NOT NULL DEFAULT false`);
    await db.query(`ALTER TABLE "clients" ADD "require_signed_request_object" boolean NOT NULL DEFAULT false`);
    await db.query(`ALTER TABLE "clients" ADD "request_object_signing_alg" varchar(16)`);
    await db.query(`
      CREATE TABLE "pushed_authorization_requests" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "tenant_id" uuid NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
        "request_uri_hash" varchar(64) NOT NULL,
        "client_id" varchar(128) NOT NULL,
        "params" jsonb NOT NULL,
        "signed" boolean NOT NULL DEFAULT false,
        "expires_at" timestamptz NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_pushed_authorization_requests" PRIMARY KEY ("id")
      )`);
    await db.query(
      `CREATE UNIQUE INDEX "uq_pushed_authorization_requests_tenant_hash" ON "pushed_authorization_requests" ("tenant_id", "request_uri_hash")`,
    );
    await db.query(
      `CREATE INDEX "ix_pushed_authorization_requests_tenant_expires" ON "pushed_authorization_requests" ("tenant_id", "expires_at")`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE "pushed_authorization_requests"`);
    await db.query(
      `ALTER TABLE "clients" DROP COLUMN "request_object_signing_alg", DROP COLUMN "require_signed_request_object", DROP COLUMN "require_pushed_authorization_requests"`,
    );
    await db.query(
      `ALTER TABLE "tenants" DROP CONSTRAINT "ck_tenants_request_objects", DROP CONSTRAINT "ck_tenants_pushed_authorization_requests"`,
    );
    await db.query(
      `ALTER TABLE "tenants" DROP COLUMN "par_lifetime_seconds", DROP COLUMN "request_objects", DROP COLUMN "pushed_authorization_requests"`,
    );
  }
}
