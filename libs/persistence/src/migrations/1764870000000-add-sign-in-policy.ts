import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The tenant's MFA policy, and the risk decision a sign-in's password step took, kept on the
 * interaction so the step that finishes the sign-in (a code, enrolment) records the same one.
 */
export class AddSignInPolicy1764870000000 implements MigrationInterface {
  name = 'AddSignInPolicy1764870000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "tenants" ADD "mfa_policy" jsonb NOT NULL DEFAULT '{}'`);
    await db.query(`ALTER TABLE "interactions" ADD "sign_in_risk" jsonb`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "interactions" DROP COLUMN "sign_in_risk"`);
    await db.query(`ALTER TABLE "tenants" DROP COLUMN "mfa_policy"`);
  }
}
