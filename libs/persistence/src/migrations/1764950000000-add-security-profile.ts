import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The tenant's security profile (docs/adr/0020): `none`, or `fapi2` for the FAPI 2.0 Security Profile. */
export class AddSecurityProfile1764950000000 implements MigrationInterface {
  name = 'AddSecurityProfile1764950000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "tenants" ADD "security_profile" varchar(16) NOT NULL DEFAULT 'none'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "tenants" DROP COLUMN "security_profile"`);
  }
}
