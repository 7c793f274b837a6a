import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the sign-in pages show: a tenant's branding (logo, primary colour, page title,
 * support link) and a client's RFC 7591 §2 human-facing metadata (home page, logo,
 * privacy policy, terms of service).
 */
export class AddBranding1764800000000 implements MigrationInterface {
  name = 'AddBranding1764800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "tenants" ADD "branding" jsonb NOT NULL DEFAULT '{}'`);
    await db.query(
      `ALTER TABLE "clients" ADD "client_uri" varchar(2000), ADD "logo_uri" varchar(2000), ADD "policy_uri" varchar(2000), ADD "tos_uri" varchar(2000)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(
      `ALTER TABLE "clients" DROP COLUMN "client_uri", DROP COLUMN "logo_uri", DROP COLUMN "policy_uri", DROP COLUMN "tos_uri"`,
    );
    await db.query(`ALTER TABLE "tenants" DROP COLUMN "branding"`);
  }
}
