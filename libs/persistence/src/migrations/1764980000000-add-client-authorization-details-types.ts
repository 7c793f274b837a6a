import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * RFC 9396 §10 `authorization_details_types` client metadata: the tenant's types this client may
 * request. NULL: any of them.
 */
export class AddClientAuthorizationDetailsTypes1764980000000 implements MigrationInterface {
  name = 'AddClientAuthorizationDetailsTypes1764980000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "clients" ADD "authorization_details_types" text[]`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "clients" DROP COLUMN "authorization_details_types"`);
  }
}
