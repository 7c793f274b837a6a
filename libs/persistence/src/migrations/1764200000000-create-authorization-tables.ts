import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The authorization code flow: APIs (RFC 8707 resources), pending interactions,
 * browser sessions, consents, authorization codes, revoked token ids and the audit
 * outbox; plus the tenant, client and user columns the flow reads.
 */
export class CreateAuthorizationTables1764200000000 implements MigrationInterface {
  name = 'CreateAuthorizationTables1764200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "tenants" ADD "session_ttl_seconds" integer NOT NULL DEFAULT 86400`);
    await db.query(`ALTER TABLE "tenants" ADD "accept_token_endpoint_audience" boolean NOT NULL DEFAULT true`);
    await db.query(`ALTER TABLE "clients" ADD "access_token_ttl_seconds" integer`);
    await db.query(`ALTER TABLE "clients" ADD "id_token_signed_response_alg" varchar(16)`);
    await db.query(`ALTER TABLE "users" ADD "name" varchar(200)`);
    await db.query(`ALTER TABLE "users" ADD "email_verified" boolean NOT NULL DEFAULT false`);

    await db.query(`
      CREATE TABLE "apis" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "tenant_id" uuid NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
        "identifier" varchar(2000) NOT NULL,
        "name" varchar(200) NOT NULL,
        "scopes" text[] NOT NULL DEFAULT '{}',
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_apis" PRIMARY KEY ("id")
      )`);
    await db.query(`CREATE UNIQUE INDEX "uq_apis_tenant_identifier" ON "apis" ("tenant_id", "identifier")`);

    await db.query(`
      CREATE TABLE "interactions" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "tenant_id" uuid NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
        "handle_hash" varchar(64) NOT NULL,
        "browser_hash" varchar(64) NOT NULL,
        "csrf_hash" varchar(64) NOT NULL,
        "client_id" varchar(128) NOT NULL,
        "request" jsonb NOT NULL,
        "state" varchar(16) NOT NULL,
        "user_id" uuid,
        "session_id" uuid,
        "expires_at" timestamptz NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_interactions" PRIMARY KEY ("id"),
        CONSTRAINT "ck_interactions_state" CHECK ("state" IN ('login', 'consent', 'done'))
      )`);
    await db.query(`CREATE UNIQUE INDEX "uq_interactions_tenant_handle" ON "interactions" ("tenant_id", "handle_hash")`);

    await db.query(`
      CREATE TABLE "sessions" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "tenant_id" uuid NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
        "user_id" uuid NOT NULL REFERENCES "users"("id") ON DELETE CASCADE,
        "token_hash" varchar(64) NOT NULL,
        "auth_time" timestamptz NOT NULL,
        "amr" text[] NOT NULL DEFAULT '{}',
        "expires_at" timestamptz NOT NULL,
        "ended_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_sessions" PRIMARY KEY ("id")
      )`);
    await db.query(`CREATE UNIQUE INDEX "uq_sessions_tenant_token" ON "sessions" ("tenant_id", "token_hash")`);
    await db.query(`CREATE INDEX "ix_sessions_tenant_user" ON "sessions" ("tenant_id", "user_id")`);

    await db.query(`
      CREATE TABLE "consents" (
        "tenant_id" uuid NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
        "user_id" uuid NOT NULL REFERENCES "users"("id") ON DELETE CASCADE,
        "client_id" varchar(128) NOT NULL,
        "scopes" text[] NOT NULL DEFAULT '{}',
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_consents" PRIMARY KEY ("tenant_id", "user_id", "client_id")
      )`);

    await db.query(`
      CREATE TABLE "authorization_codes" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "tenant_id" uuid NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
        "code_hash" varchar(64) NOT NULL,
        "client_id" varchar(128) NOT NULL,
        "user_id" uuid NOT NULL,
        "session_id" uuid,
        "redirect_uri" varchar(2000) NOT NULL,
        "scopes" text[] NOT NULL DEFAULT '{}',
        "resource" varchar(2000),
        "nonce" varchar(512),
        "code_challenge" varchar(128) NOT NULL,
        "auth_time" timestamptz NOT NULL,
        "amr" text[] NOT NULL DEFAULT '{}',
        "expires_at" timestamptz NOT NULL,
        "consumed_at" timestamptz,
        "issued_jtis" text[] NOT NULL DEFAULT '{}',
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_authorization_codes" PRIMARY KEY ("id")
      )`);
    await db.query(`CREATE UNIQUE INDEX "uq_authorization_codes_tenant_hash" ON "authorization_codes" ("tenant_id", "code_hash")`);

    await db.query(`
      CREATE TABLE "revoked_tokens" (
        "tenant_id" uuid NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
        "jti" varchar(128) NOT NULL,
        "expires_at" timestamptz NOT NULL,
        "revoked_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_revoked_tokens" PRIMARY KEY ("tenant_id", "jti")
      )`);

    await db.query(`
      CREATE TABLE "audit_outbox" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "tenant_id" uuid NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
        "type" varchar(64) NOT NULL,
        "outcome" varchar(16) NOT NULL,
        "occurred_at" timestamptz NOT NULL,
        "payload" jsonb NOT NULL,
        "dispatched_at" timestamptz,
        CONSTRAINT "pk_audit_outbox" PRIMARY KEY ("id")
      )`);
    await db.query(`CREATE INDEX "ix_audit_outbox_pending" ON "audit_outbox" ("occurred_at") WHERE "dispatched_at" IS NULL`);
    await db.query(`CREATE INDEX "ix_audit_outbox_tenant_time" ON "audit_outbox" ("tenant_id", "occurred_at")`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['audit_outbox', 'revoked_tokens', 'authorization_codes', 'consents', 'sessions', 'interactions', 'apis']) {
      await db.query(`DROP TABLE "${table}"`);
    }
    await db.query(`ALTER TABLE "users" DROP COLUMN "email_verified"`);
    await db.query(`ALTER TABLE "users" DROP COLUMN "name"`);
    await db.query(`ALTER TABLE "clients" DROP COLUMN "id_token_signed_response_alg"`);
    await db.query(`ALTER TABLE "clients" DROP COLUMN "access_token_ttl_seconds"`);
    await db.query(`ALTER TABLE "tenants" DROP COLUMN "accept_token_endpoint_audience"`);
    await db.query(`ALTER TABLE "tenants" DROP COLUMN "session_ttl_seconds"`);
  }
}
