import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hard lock (issue 13, docs/adr/0003; NIST SP 800-63B §5.2.2): wrong passwords and codes counted
 * across temporary locks, reset only by a successful login or an admin's unlock; at the tenant's
 * `hardLockThreshold` the account stays locked until an admin unlocks it.
 */
export class AddUserHardLock1764850000000 implements MigrationInterface {
  name = 'AddUserHardLock1764850000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "users" ADD "consecutive_failed_logins" integer NOT NULL DEFAULT 0`);
    await db.query(`ALTER TABLE "users" ADD "hard_locked_at" timestamptz`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "users" DROP COLUMN "hard_locked_at"`);
    await db.query(`ALTER TABLE "users" DROP COLUMN "consecutive_failed_logins"`);
  }
}
