import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Tenant policies the admin API sets: consent, loopback redirect URIs for web clients, risk and rate limits. */
export class AddTenantPolicies1764500000000 implements MigrationInterface {
  name = 'AddTenantPolicies1764500000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "tenants" ADD "consent_policy" varchar(24) NOT NULL DEFAULT 'skip_first_party'`);
    await db.query(`ALTER TABLE "tenants" ADD "web_loopback_redirects" boolean NOT NULL DEFAULT true`);
    await db.query(`ALTER TABLE "tenants" ADD "risk_policy" jsonb NOT NULL DEFAULT '{}'`);
    await db.query(`ALTER TABLE "tenants" ADD "rate_limit_policy" jsonb NOT NULL DEFAULT '{}'`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const column of ['rate_limit_policy', 'risk_policy', 'web_loopback_redirects', 'consent_policy']) {
      await db.query(`ALTER TABLE "tenants" DROP COLUMN "${column}"`);
    }
  }
}
