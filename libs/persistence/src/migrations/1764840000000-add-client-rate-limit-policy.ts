import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A client's overrides of its tenant's endpoint rate limits (issue 13, docs/adr/0009). */
export class AddClientRateLimitPolicy1764840000000 implements MigrationInterface {
  name = 'AddClientRateLimitPolicy1764840000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "clients" ADD "rate_limit_policy" jsonb NOT NULL DEFAULT '{}'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "clients" DROP COLUMN "rate_limit_policy"`);
  }
}
