import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit store and SIEM export (issue 6).
 *
 * audit_records is append-only and hash-chained per tenant: (tenant_id, sequence) is the
 * chain position and the primary key; `id` is the outbox event id and is unique, which is
 * what makes processing idempotent. Index plan for hundreds of millions of rows: every
 * query leads with tenant_id and walks one index newest-first (sequence for the default
 * listing and the live stream, occurred_at for time ranges, and one composite index per
 * filter the audit API offers); nothing scans across tenants except retention, which
 * deletes a prefix of one tenant's chain by occurred_at. See docs/audit.md.
 */
export class CreateAuditPipelineTables1764600000000 implements MigrationInterface {
  name = 'CreateAuditPipelineTables1764600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE "audit_records" (
        "tenant_id" uuid NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
        "sequence" bigint NOT NULL,
        "id" uuid NOT NULL,
        "type" varchar(64) NOT NULL,
        "outcome" varchar(16) NOT NULL,
        "occurred_at" timestamptz NOT NULL,
        "recorded_at" timestamptz NOT NULL,
        "user_id" varchar(128),
        "username" varchar(128),
        "client_id" varchar(128),
        "ip" varchar(64),
        "user_agent" varchar(512),
        "country" varchar(8),
        "geo" jsonb NOT NULL,
        "device_id" varchar(64),
        "device" jsonb,
        "risk_score" smallint NOT NULL,
        "risk_reasons" jsonb NOT NULL,
        "error_code" varchar(64),
        "details" jsonb,
        "previous_hash" char(64) NOT NULL,
        "hash" char(64) NOT NULL,
        CONSTRAINT "pk_audit_records" PRIMARY KEY ("tenant_id", "sequence"),
        CONSTRAINT "uq_audit_records_id" UNIQUE ("id")
      )`);
    await db.query(`CREATE INDEX "ix_audit_records_time" ON "audit_records" ("tenant_id", "occurred_at" DESC)`);
    await db.query(`CREATE INDEX "ix_audit_records_type" ON "audit_records" ("tenant_id", "type", "sequence" DESC)`);
    await db.query(`CREATE INDEX "ix_audit_records_user" ON "audit_records" ("tenant_id", "user_id", "sequence" DESC)`);
    await db.query(`CREATE INDEX "ix_audit_records_username" ON "audit_records" ("tenant_id", "username", "occurred_at" DESC)`);
    await db.query(`CREATE INDEX "ix_audit_records_client" ON "audit_records" ("tenant_id", "client_id", "sequence" DESC)`);
    await db.query(`CREATE INDEX "ix_audit_records_ip" ON "audit_records" ("tenant_id", "ip", "occurred_at" DESC)`);
    await db.query(
      `CREATE INDEX "ix_audit_records_risky" ON "audit_records" ("tenant_id", "risk_score", "sequence" DESC) WHERE "risk_score" > 0`,
    );

    await db.query(`
      CREATE TABLE "audit_chain_heads" (
        "tenant_id" uuid NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
        "sequence" bigint NOT NULL DEFAULT 0,
        "hash" char(64) NOT NULL,
        "anchor_sequence" bigint NOT NULL DEFAULT 0,
        "anchor_hash" char(64),
        CONSTRAINT "pk_audit_chain_heads" PRIMARY KEY ("tenant_id")
      )`);
    await db.query(`ALTER TABLE "audit_outbox" ADD "recorded_at" timestamptz`);
    await db.query(`CREATE INDEX "ix_audit_outbox_unrecorded" ON "audit_outbox" ("occurred_at") WHERE "recorded_at" IS NULL`);
    await db.query(`ALTER TABLE "tenants" ADD "audit_retention_days" integer NOT NULL DEFAULT 365`);

    await db.query(`
      CREATE TABLE "siem_sinks" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "tenant_id" uuid NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
        "name" varchar(200) NOT NULL,
        "type" varchar(16) NOT NULL,
        "url" varchar(2000) NOT NULL,
        "format" varchar(8) NOT NULL,
        "credentials" text,
        "ack_enabled" boolean NOT NULL DEFAULT false,
        "max_attempts" integer NOT NULL DEFAULT 8,
        "enabled" boolean NOT NULL DEFAULT true,
        "exported_sequence" bigint NOT NULL DEFAULT 0,
        "attempts" integer NOT NULL DEFAULT 0,
        "next_attempt_at" timestamptz NOT NULL DEFAULT now(),
        "last_error" varchar(500),
        "last_delivered_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_siem_sinks" PRIMARY KEY ("id")
      )`);
    await db.query(`CREATE INDEX "ix_siem_sinks_tenant" ON "siem_sinks" ("tenant_id", "created_at")`);

    await db.query(`
      CREATE TABLE "siem_dead_letters" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "tenant_id" uuid NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
        "sink_id" uuid NOT NULL REFERENCES "siem_sinks"("id") ON DELETE CASCADE,
        "record_id" uuid NOT NULL,
        "sequence" bigint NOT NULL,
        "attempts" integer NOT NULL,
        "error" varchar(500) NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "replayed_at" timestamptz,
        "delivered_at" timestamptz,
        CONSTRAINT "pk_siem_dead_letters" PRIMARY KEY ("id")
      )`);
    await db.query(`CREATE UNIQUE INDEX "uq_siem_dead_letters_sink_record" ON "siem_dead_letters" ("sink_id", "record_id")`);
    await db.query(
      `CREATE INDEX "ix_siem_dead_letters_pending" ON "siem_dead_letters" ("tenant_id", "created_at") WHERE "delivered_at" IS NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE "siem_dead_letters"`);
    await db.query(`DROP TABLE "siem_sinks"`);
    await db.query(`ALTER TABLE "tenants" DROP COLUMN "audit_retention_days"`);
    await db.query(`DROP INDEX "ix_audit_outbox_unrecorded"`);
    await db.query(`ALTER TABLE "audit_outbox" DROP COLUMN "recorded_at"`);
    await db.query(`DROP TABLE "audit_chain_heads"`);
    await db.query(`DROP TABLE "audit_records"`);
  }
}
