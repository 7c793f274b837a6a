import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The default registration policy as stored JSON (libs/protocol DEFAULT_REGISTRATION_POLICY at the time of this migration). */
const DEFAULT_POLICY = JSON.stringify({
  grantTypes: ['authorization_code', 'refresh_token'],
  scopes: ['openid', 'profile', 'email', 'address', 'phone', 'offline_access'],
  apis: [],
  tokenEndpointAuthMethods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
});

/**
 * Registration policies (issue 10 item 2): each initial access token carries what it may
 * register, each self-registered client remembers it (RFC 7592 updates are held to it), and
 * the admin console is marked by a property only the bootstrap sets. Tokens and clients from
 * before get the default policy; open registration tokens of the system tenant are revoked.
 */
export class AddRegistrationPolicy1764710000000 implements MigrationInterface {
  name = 'AddRegistrationPolicy1764710000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "registration_tokens" ADD "policy" jsonb NOT NULL DEFAULT '${DEFAULT_POLICY}'::jsonb`);
    await db.query(`ALTER TABLE "registration_tokens" ALTER COLUMN "policy" DROP DEFAULT`);
    await db.query(`ALTER TABLE "clients" ADD "registration_policy" jsonb`);
    await db.query(`UPDATE "clients" SET "registration_policy" = $1::jsonb WHERE "registration_access_token_hash" IS NOT NULL`, [
      DEFAULT_POLICY,
    ]);
    await db.query(`ALTER TABLE "clients" ADD "admin_console" boolean NOT NULL DEFAULT false`);
    // The bootstrap created the console with this fixed client_id; registration never chooses client_ids.
    await db.query(
      `UPDATE "clients" SET "admin_console" = true
       WHERE "client_id" = 'admin-console' AND "registration_access_token_hash" IS NULL
         AND "tenant_id" IN (SELECT "id" FROM "tenants" WHERE "slug" = 'system')`,
    );
    await db.query(
      `UPDATE "registration_tokens" SET "revoked_at" = now()
       WHERE "revoked_at" IS NULL AND "tenant_id" IN (SELECT "id" FROM "tenants" WHERE "slug" = 'system')`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "clients" DROP COLUMN "admin_console"`);
    await db.query(`ALTER TABLE "clients" DROP COLUMN "registration_policy"`);
    await db.query(`ALTER TABLE "registration_tokens" DROP COLUMN "policy"`);
  }
}
