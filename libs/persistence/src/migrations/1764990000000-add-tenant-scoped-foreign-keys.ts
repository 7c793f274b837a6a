import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A row naming another row of its tenant: (table, column) → (referenced table), each pair tied by tenant_id too. */
const TIES = [
  { table: 'consents', column: 'user_id', references: 'users', replaces: 'consents_user_id_fkey' },
  { table: 'sessions', column: 'user_id', references: 'users', replaces: 'sessions_user_id_fkey' },
  { table: 'user_totp_factors', column: 'user_id', references: 'users', replaces: 'user_totp_factors_user_id_fkey' },
  { table: 'user_recovery_codes', column: 'user_id', references: 'users', replaces: 'user_recovery_codes_user_id_fkey' },
  { table: 'user_passkeys', column: 'user_id', references: 'users', replaces: 'user_passkeys_user_id_fkey' },
  { table: 'siem_dead_letters', column: 'sink_id', references: 'siem_sinks', replaces: 'siem_dead_letters_sink_id_fkey' },
] as const;

const REFERENCED = ['users', 'siem_sinks'] as const;

/**
 * A consent, a session, a second factor or a passkey names a user of its own tenant, and a dead letter
 * a sink of its own tenant: (tenant_id, user_id) → users (tenant_id, id), and so on. Before, only the id
 * was checked, so a repository call could file such a row under one tenant naming another tenant's user
 * (the repositories filter every read by tenant, so nothing leaked; now the schema refuses the write too).
 * These tables had a foreign key on the id alone: the check costs what it did.
 *
 * Not tied here, on purpose: a refresh-token family's user. A foreign key there would lock the user's row
 * (FOR KEY SHARE) in every code exchange's shared statement; measured, the code flow lost about 6 %
 * (bench/RESULTS.md, stop 32). A family's user is read joined by tenant (a family naming another
 * tenant's user never redeems), and erasure deletes the user's families first.
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
