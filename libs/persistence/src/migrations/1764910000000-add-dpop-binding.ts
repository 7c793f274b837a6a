import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * RFC 9449 DPoP (docs/adr/0016): the tenant's policy, the client's `dpop_bound_access_tokens`,
 * and the key thumbprint an authorization code (`dpop_jkt`) or a public client's refresh token
 * family is bound to.
 */
export class AddDpopBinding1764910000000 implements MigrationInterface {
  name = 'AddDpopBinding1764910000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "tenants" ADD "dpop_policy" jsonb NOT NULL DEFAULT '{}'`);
    await db.query(`ALTER TABLE "clients" ADD "dpop_bound_access_tokens" boolean NOT NULL DEFAULT false`);
    await db.query(`ALTER TABLE "authorization_codes" ADD "dpop_jkt" varchar(64)`);
    await db.query(`ALTER TABLE "refresh_token_families" ADD "dpop_jkt" varchar(64)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "refresh_token_families" DROP COLUMN "dpop_jkt"`);
    await db.query(`ALTER TABLE "authorization_codes" DROP COLUMN "dpop_jkt"`);
    await db.query(`ALTER TABLE "clients" DROP COLUMN "dpop_bound_access_tokens"`);
    await db.query(`ALTER TABLE "tenants" DROP COLUMN "dpop_policy"`);
  }
}
