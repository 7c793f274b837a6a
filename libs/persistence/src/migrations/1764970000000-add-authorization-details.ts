import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rich Authorization Requests (RFC 9396, docs/adr/0019): the tenant's registered types (name → JSON
 * Schema), and the details granted with a code and kept by the refresh-token family it starts.
 */
export class AddAuthorizationDetails1764970000000 implements MigrationInterface {
  name = 'AddAuthorizationDetails1764970000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "tenants" ADD "authorization_details_types" jsonb NOT NULL DEFAULT '{}'::jsonb`);
    await db.query(`ALTER TABLE "authorization_codes" ADD "authorization_details" jsonb`);
    await db.query(`ALTER TABLE "refresh_token_families" ADD "authorization_details" jsonb`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "refresh_token_families" DROP COLUMN "authorization_details"`);
    await db.query(`ALTER TABLE "authorization_codes" DROP COLUMN "authorization_details"`);
    await db.query(`ALTER TABLE "tenants" DROP COLUMN "authorization_details_types"`);
  }
}
