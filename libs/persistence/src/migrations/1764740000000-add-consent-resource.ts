import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Consent per API (RFC 8707 resource) and scope: consent to `read` at one API no longer
 * covers another API's `read`. One row per (user, client, resource); `resource` is the
 * API's identifier, or '' for the OpenID scopes about the account itself.
 *
 * Rows from before keep '' (no API). They never name an API, so they never cover one:
 * the next request for an API's scopes asks the user again.
 */
export class AddConsentResource1764740000000 implements MigrationInterface {
  name = 'AddConsentResource1764740000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "consents" ADD "resource" varchar(2000) NOT NULL DEFAULT ''`);
    await db.query(`ALTER TABLE "consents" DROP CONSTRAINT "pk_consents"`);
    await db.query(`ALTER TABLE "consents" ADD CONSTRAINT "pk_consents" PRIMARY KEY ("tenant_id", "user_id", "client_id", "resource")`);
  }

  /** Folds each client's rows back into one (the union of their scopes, the latest time). */
  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      INSERT INTO "consents" ("tenant_id", "user_id", "client_id", "resource", "scopes", "updated_at")
      SELECT c."tenant_id", c."user_id", c."client_id", '',
             COALESCE(array_agg(DISTINCT s.scope) FILTER (WHERE s.scope IS NOT NULL), '{}'), max(c."updated_at")
      FROM "consents" c LEFT JOIN LATERAL unnest(c."scopes") AS s(scope) ON true
      GROUP BY c."tenant_id", c."user_id", c."client_id"
      ON CONFLICT ("tenant_id", "user_id", "client_id", "resource")
      DO UPDATE SET "scopes" = EXCLUDED."scopes", "updated_at" = EXCLUDED."updated_at"`);
    await db.query(`DELETE FROM "consents" WHERE "resource" <> ''`);
    await db.query(`ALTER TABLE "consents" DROP CONSTRAINT "pk_consents"`);
    await db.query(`ALTER TABLE "consents" ADD CONSTRAINT "pk_consents" PRIMARY KEY ("tenant_id", "user_id", "client_id")`);
    await db.query(`ALTER TABLE "consents" DROP COLUMN "resource"`);
  }
}
