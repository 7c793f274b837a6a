import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit worker now deletes an outbox row in the transaction that records it (it set
 * `recorded_at` and left the row a day): the outbox holds only what is still in transit, and a
 * recorded event costs one delete instead of an update now and a delete a day later. The
 * `(tenant_id, occurred_at)` index served nothing but tests' reads of a tenant's rows; every
 * transaction writing an audit event paid for it. Rows recorded before this version keep
 * `recorded_at` and go with the daily prune.
 */
export class OutboxRowsLeaveWhenRecorded1765000000000 implements MigrationInterface {
  name = 'OutboxRowsLeaveWhenRecorded1765000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX "ix_audit_outbox_tenant_time"`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX "ix_audit_outbox_tenant_time" ON "audit_outbox" ("tenant_id", "occurred_at")`);
  }
}
