import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The risk rules' history query (AuditRecordRepository.loginHistory) reads logins only: by user
 * id (the attempts inside the velocity window, the first success per country and device and the
 * latest before it), by username and by IP (inside the window). The indexes on those columns
 * cover every event type (`ix_audit_records_user` even in chain order, not time), so the query
 * read and threw away a busy user's token events, or every token event of an address shared
 * with a client server. These hold only logins, in time order.
 */
export class AddLoginHistoryIndex1764810000000 implements MigrationInterface {
  name = 'AddLoginHistoryIndex1764810000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE INDEX "ix_audit_records_login_user" ON "audit_records" ("tenant_id", "user_id", "occurred_at")
       WHERE "type" IN ('login.succeeded', 'login.failed')`,
    );
    await db.query(
      `CREATE INDEX "ix_audit_records_login_username" ON "audit_records" ("tenant_id", "username", "occurred_at")
       WHERE "type" IN ('login.succeeded', 'login.failed')`,
    );
    await db.query(
      `CREATE INDEX "ix_audit_records_login_ip" ON "audit_records" ("tenant_id", "ip", "occurred_at")
       WHERE "type" IN ('login.succeeded', 'login.failed')`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX "ix_audit_records_login_ip"`);
    await db.query(`DROP INDEX "ix_audit_records_login_username"`);
    await db.query(`DROP INDEX "ix_audit_records_login_user"`);
  }
}
