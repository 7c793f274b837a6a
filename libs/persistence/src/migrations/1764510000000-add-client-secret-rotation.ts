import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Client secret rotation with a grace period: the previous secret's hash and when it stops authenticating. */
export class AddClientSecretRotation1764510000000 implements MigrationInterface {
  name = 'AddClientSecretRotation1764510000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "clients" ADD "previous_secret_hash" varchar(64)`);
    await db.query(`ALTER TABLE "clients" ADD "previous_secret_expires_at" timestamptz`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "clients" DROP COLUMN "previous_secret_expires_at"`);
    await db.query(`ALTER TABLE "clients" DROP COLUMN "previous_secret_hash"`);
  }
}
