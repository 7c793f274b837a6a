import type { Database } from './database.js';

export interface MigrationResult {
  readonly applied: string[];
}

/** Advisory lock key: instances starting together apply migrations one at a time. */
const MIGRATION_LOCK = 7_264_001;

export async function runMigrations(database: Database): Promise<MigrationResult> {
  return withMigrationLock(database, async () => {
    const applied = await database.dataSource.runMigrations({ transaction: 'each' });
    return { applied: applied.map((migration) => migration.name) };
  });
}

export async function revertLastMigration(database: Database): Promise<void> {
  await withMigrationLock(database, () => database.dataSource.undoLastMigration({ transaction: 'each' }));
}

export async function pendingMigrations(database: Database): Promise<boolean> {
  return database.dataSource.showMigrations();
}

async function withMigrationLock<T>(database: Database, work: () => Promise<T>): Promise<T> {
  // The embedded database belongs to one process, and its single pooled connection
  // cannot both hold a session lock and run the migrations.
  if (database.embedded) return work();
  const runner = database.dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    return await work();
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}
