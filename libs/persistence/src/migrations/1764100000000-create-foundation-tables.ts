import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Tenants, users, clients and signing keys. Every tenant-owned table leads its indexes with tenant_id. */
export class CreateFoundationTables1764100000000 implements MigrationInterface {
  name = 'CreateFoundationTables1764100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE "tenants" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "slug" varchar(63) NOT NULL,
        "name" varchar(200) NOT NULL,
        "status" varchar(16) NOT NULL DEFAULT 'active',
        "access_token_alg" varchar(16) NOT NULL DEFAULT 'ES256',
        "access_token_ttl_seconds" integer NOT NULL DEFAULT 3600,
        "id_token_ttl_seconds" integer NOT NULL DEFAULT 3600,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_tenants" PRIMARY KEY ("id"),
        CONSTRAINT "uq_tenants_slug" UNIQUE ("slug"),
        CONSTRAINT "ck_tenants_slug" CHECK ("slug" ~ '^[a-z0-9-]{2,63}$'),
        CONSTRAINT "ck_tenants_status" CHECK ("status" IN ('active', 'disabled'))
      )`);
    await db.query(`
      CREATE TABLE "users" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "tenant_id" uuid NOT NULL,
        "username" varchar(128) NOT NULL,
        "email" varchar(320),
        "password_hash" text,
        "roles" text[] NOT NULL DEFAULT '{}',
        "status" varchar(16) NOT NULL DEFAULT 'active',
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_users" PRIMARY KEY ("id"),
        CONSTRAINT "fk_users_tenant" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE,
        CONSTRAINT "ck_users_username_lower" CHECK ("username" = lower("username")),
        CONSTRAINT "ck_users_status" CHECK ("status" IN ('active', 'disabled'))
      )`);
    await db.query(`CREATE UNIQUE INDEX "uq_users_tenant_username" ON "users" ("tenant_id", "username")`);
    await db.query(`CREATE UNIQUE INDEX "uq_users_tenant_email" ON "users" ("tenant_id", "email") WHERE email IS NOT NULL`);
    await db.query(`
      CREATE TABLE "clients" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "tenant_id" uuid NOT NULL,
        "client_id" varchar(128) NOT NULL,
        "name" varchar(200) NOT NULL,
        "application_type" varchar(16) NOT NULL,
        "token_endpoint_auth_method" varchar(32) NOT NULL,
        "secret_hash" varchar(64),
        "redirect_uris" text[] NOT NULL DEFAULT '{}',
        "grant_types" text[] NOT NULL DEFAULT '{}',
        "scopes" text[] NOT NULL DEFAULT '{}',
        "jwks" jsonb,
        "first_party" boolean NOT NULL DEFAULT false,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_clients" PRIMARY KEY ("id"),
        CONSTRAINT "fk_clients_tenant" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE,
        CONSTRAINT "ck_clients_application_type" CHECK ("application_type" IN ('web', 'native'))
      )`);
    await db.query(`CREATE UNIQUE INDEX "uq_clients_tenant_client_id" ON "clients" ("tenant_id", "client_id")`);
    await db.query(`
      CREATE TABLE "signing_keys" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "tenant_id" uuid NOT NULL,
        "kid" varchar(64) NOT NULL,
        "alg" varchar(16) NOT NULL,
        "public_jwk" jsonb NOT NULL,
        "private_key_ciphertext" text NOT NULL,
        "activates_at" timestamptz NOT NULL,
        "deactivates_at" timestamptz,
        "expires_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_signing_keys" PRIMARY KEY ("id"),
        CONSTRAINT "fk_signing_keys_tenant" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE
      )`);
    await db.query(`CREATE UNIQUE INDEX "uq_signing_keys_tenant_kid" ON "signing_keys" ("tenant_id", "kid")`);
    await db.query(`CREATE INDEX "ix_signing_keys_tenant_alg_activates" ON "signing_keys" ("tenant_id", "alg", "activates_at")`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE "signing_keys"`);
    await db.query(`DROP TABLE "clients"`);
    await db.query(`DROP TABLE "users"`);
    await db.query(`DROP TABLE "tenants"`);
  }
}
