import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Account lockout after repeated wrong passwords (tenant rate-limit policy), and when the user last signed in. */
export class AddUserLockout1764520000000 implements MigrationInterface {
  name = 'AddUserLockout1764520000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "users" ADD "failed_login_count" integer NOT NULL DEFAULT 0`);
    await db.query(`ALTER TABLE "users" ADD "locked_until" timestamptz`);
    await db.query(`ALTER TABLE "users" ADD "last_login_at" timestamptz`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const column of ['last_login_at', 'locked_until', 'failed_login_count']) {
      await db.query(`ALTER TABLE "users" DROP COLUMN "${column}"`);
    }
  }
}
