import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A row naming another row of its tenant: (table, column) → (referenced table), each pair tied by tenant_id too. */
const TIES = [
  { table: 'consents', column: 'user_id', references: 'users', replaces: 'consents_user_id_fkey' },
  { table: 'sessions', column: 'user_id', references: 'users', replaces: 'sessions_user_id_fkey' },
  { table: 'user_totp_factors', column: 'user_id', references: 'users', replaces: 'user_totp_factors_user_id_fkey' },
  { table: 'user_recovery_codes', column: 'user_id', references: 'users', replaces: 'user_recovery_codes_user_id_fkey' },
  { table: 'user_passkeys', column: 'user_id', references: 'users', replaces: 'user_passkeys_user_id_fkey' },
  { table: 'refresh_token_families', column: 'user_id', references: 'users', replaces: null },
  { table: 'refresh_tokens', column: 'family_id', references: 'refresh_token_families', replaces: 'refresh_tokens_family_id_fkey' },
  { table: 'siem_dead_letters', column: 'sink_id', references: 'siem_sinks', replaces: 'siem_dead_letters_sink_id_fkey' },
] as const;

const REFERENCED = ['users', 'refresh_token_families', 'siem_sinks'] as const;

/**
 * Every reference to a user, a refresh-token family or a SIEM sink names one of the row's own tenant:
 * (tenant_id, user_id) → users (tenant_id, id), and so on. Before, only the id was checked, so a
 * repository call could file a consent, a session or a family under one tenant naming another
 * tenant's user (the repositories filtered every read by tenant, so nothing leaked; now the schema
 * refuses the write too). A family's user had no foreign key at all; it cascades with the user, as
 * erasure already deleted it.
 *
 * Rows that break the rule could only come from such a call, and no read would ever have found them:
 * they are deleted before each constraint is added, so the migration does not fail on them.
 *
 * It builds a unique index on users and checks each referencing table once, holding their write locks
 * while it does: on a large deployment, run it at a quiet moment.
 */
export class AddTenantScopedForeignKeys1764990000000 implements MigrationInterface {
  name = 'AddTenantScopedForeignKeys1764990000000';

  async up(db: QueryRunner): Promise<void> {
    for (const table of REFERENCED) {
      await db.query(`ALTER TABLE "${table}" ADD CONSTRAINT "uq_${table}_tenant_id" UNIQUE ("tenant_id", "id")`);
    }
    for (const tie of TIES) {
      await db.query(
        `DELETE FROM "${tie.table}" AS row WHERE NOT EXISTS (
           SELECT 1 FROM "${tie.references}" AS target WHERE target.tenant_id = row.tenant_id AND target.id = row.${tie.column})`,
      );
      if (tie.replaces) await db.query(`ALTER TABLE "${tie.table}" DROP CONSTRAINT "${tie.replaces}"`);
      await db.query(
        `ALTER TABLE "${tie.table}" ADD CONSTRAINT "${constraintName(tie)}"
           FOREIGN KEY ("tenant_id", "${tie.column}") REFERENCES "${tie.references}" ("tenant_id", "id") ON DELETE CASCADE`,
      );
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const tie of [...TIES].reverse()) {
      await db.query(`ALTER TABLE "${tie.table}" DROP CONSTRAINT "${constraintName(tie)}"`);
      if (tie.replaces)
        await db.query(
          `ALTER TABLE "${tie.table}" ADD CONSTRAINT "${tie.replaces}"
             FOREIGN KEY ("${tie.column}") REFERENCES "${tie.references}" ("id") ON DELETE CASCADE`,
        );
    }
    for (const table of [...REFERENCED].reverse()) await db.query(`ALTER TABLE "${table}" DROP CONSTRAINT "uq_${table}_tenant_id"`);
  }
}

function constraintName(tie: (typeof TIES)[number]): string {
  return `fk_${tie.table}_tenant_${tie.column.replace(/_id$/, '')}`;
}
