import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Refresh token families (the grant) and their tokens, client and tenant token
 * lifetimes, logout URIs, and the back-channel logout delivery queue.
 */
export class CreateTokenLifecycleTables1764300000000 implements MigrationInterface {
  name = 'CreateTokenLifecycleTables1764300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "tenants" ADD "refresh_token_idle_ttl_seconds" integer NOT NULL DEFAULT 1209600`);
    await db.query(`ALTER TABLE "tenants" ADD "refresh_token_absolute_ttl_seconds" integer NOT NULL DEFAULT 7776000`);
    await db.query(`ALTER TABLE "tenants" ADD "refresh_without_offline_access" boolean NOT NULL DEFAULT false`);
    await db.query(`ALTER TABLE "clients" ADD "refresh_token_idle_ttl_seconds" integer`);
    await db.query(`ALTER TABLE "clients" ADD "refresh_token_absolute_ttl_seconds" integer`);
    await db.query(`ALTER TABLE "clients" ADD "rotate_refresh_tokens" boolean NOT NULL DEFAULT true`);
    await db.query(`ALTER TABLE "clients" ADD "post_logout_redirect_uris" text[] NOT NULL DEFAULT '{}'`);
    await db.query(`ALTER TABLE "clients" ADD "backchannel_logout_uri" varchar(2000)`);
    await db.query(`ALTER TABLE "authorization_codes" ADD "grant_id" uuid`);
    await db.query(`ALTER TABLE "authorization_codes" ADD "replayed_at" timestamptz`);

    await db.query(`
      CREATE TABLE "refresh_token_families" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "tenant_id" uuid NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
        "client_id" varchar(128) NOT NULL,
        "user_id" uuid NOT NULL,
        "session_id" uuid,
        "scopes" text[] NOT NULL DEFAULT '{}',
        "resource" varchar(2000),
        "auth_time" timestamptz NOT NULL,
        "amr" text[] NOT NULL DEFAULT '{}',
        "absolute_expires_at" timestamptz NOT NULL,
        "revoked_at" timestamptz,
        "revoked_reason" varchar(64),
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_refresh_token_families" PRIMARY KEY ("id")
      )`);
    await db.query(`CREATE INDEX "ix_refresh_token_families_tenant_user" ON "refresh_token_families" ("tenant_id", "user_id")`);
    await db.query(`CREATE INDEX "ix_refresh_token_families_tenant_session" ON "refresh_token_families" ("tenant_id", "session_id")`);

    await db.query(`
      CREATE TABLE "refresh_tokens" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "tenant_id" uuid NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
        "family_id" uuid NOT NULL REFERENCES "refresh_token_families"("id") ON DELETE CASCADE,
        "token_hash" varchar(64) NOT NULL,
        "expires_at" timestamptz NOT NULL,
        "used_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_refresh_tokens" PRIMARY KEY ("id")
      )`);
    await db.query(`CREATE UNIQUE INDEX "uq_refresh_tokens_tenant_hash" ON "refresh_tokens" ("tenant_id", "token_hash")`);
    await db.query(`CREATE INDEX "ix_refresh_tokens_family" ON "refresh_tokens" ("family_id")`);

    await db.query(`
      CREATE TABLE "backchannel_logout_jobs" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "tenant_id" uuid NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
        "client_id" varchar(128) NOT NULL,
        "uri" varchar(2000) NOT NULL,
        "user_id" uuid NOT NULL,
        "session_id" uuid,
        "attempts" integer NOT NULL DEFAULT 0,
        "next_attempt_at" timestamptz NOT NULL DEFAULT now(),
        "last_error" varchar(500),
        "delivered_at" timestamptz,
        "failed_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_backchannel_logout_jobs" PRIMARY KEY ("id")
      )`);
    await db.query(
      `CREATE INDEX "ix_backchannel_logout_jobs_due" ON "backchannel_logout_jobs" ("next_attempt_at") WHERE "delivered_at" IS NULL AND "failed_at" IS NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE "backchannel_logout_jobs"`);
    await db.query(`DROP TABLE "refresh_tokens"`);
    await db.query(`DROP TABLE "refresh_token_families"`);
    await db.query(`ALTER TABLE "authorization_codes" DROP COLUMN "replayed_at"`);
    await db.query(`ALTER TABLE "authorization_codes" DROP COLUMN "grant_id"`);
    for (const column of [
      'backchannel_logout_uri',
      'post_logout_redirect_uris',
      'rotate_refresh_tokens',
      'refresh_token_absolute_ttl_seconds',
      'refresh_token_idle_ttl_seconds',
    ]) {
      await db.query(`ALTER TABLE "clients" DROP COLUMN "${column}"`);
    }
    for (const column of ['refresh_without_offline_access', 'refresh_token_absolute_ttl_seconds', 'refresh_token_idle_ttl_seconds']) {
      await db.query(`ALTER TABLE "tenants" DROP COLUMN "${column}"`);
    }
  }
}
