import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 10 item 4: a client assertion names the issuer identifier only (the direction of the RFC 7523
 * update after the 2024 audience-injection disclosure). The compatibility flag that also accepts the
 * token endpoint URL becomes off by default and off for every tenant: no API could set it before, so
 * every stored value is the old default.
 */
export class DisableTokenEndpointAudience1764730000000 implements MigrationInterface {
  name = 'DisableTokenEndpointAudience1764730000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "tenants" ALTER COLUMN "accept_token_endpoint_audience" SET DEFAULT false`);
    await db.query(`UPDATE "tenants" SET "accept_token_endpoint_audience" = false`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "tenants" ALTER COLUMN "accept_token_endpoint_audience" SET DEFAULT true`);
  }
}
