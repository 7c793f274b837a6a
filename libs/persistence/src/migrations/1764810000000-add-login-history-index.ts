import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The risk rules' history query (AuditRecordRepository.loginHistory) by user id: the user's
 * login attempts inside the velocity window, and the first success per country and device and
 * the latest before it. `ix_audit_records_user` is in chain order over every event type, so a
 * busy user's token and consent events were read and thrown away; this one holds only logins,
 * in time order.
 */
export class AddLoginHistoryIndex1764810000000 implements MigrationInterface {
  name = 'AddLoginHistoryIndex1764810000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE INDEX "ix_audit_records_login_user" ON "audit_records" ("tenant_id", "user_id", "occurred_at")
       WHERE "type" IN ('login.succeeded', 'login.failed')`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX "ix_audit_records_login_user"`);
  }
}
