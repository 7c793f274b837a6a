import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The APIs (identifiers) a client is a resource server for: what it may introspect besides its own tokens (issue 10 item 10). */
export class AddClientResourceServerFor1764700000000 implements MigrationInterface {
  name = 'AddClientResourceServerFor1764700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "clients" ADD "resource_server_for" text[] NOT NULL DEFAULT '{}'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "clients" DROP COLUMN "resource_server_for"`);
  }
}
