import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { openDatabase, runMigrations, type Database } from '@gatehouse/persistence';
import { createScratchPostgres } from '../../../test/support/index.js';

/**
 * The migrated schema, compared with the snapshot committed beside this test: a migration that changes
 * a column, an index or a constraint changes the snapshot in the same commit, where a reviewer sees it.
 * After a deliberate change: UPDATE_SCHEMA_SNAPSHOT=1 with DATABASE_URL set, then commit the file.
 */
const SNAPSHOT = join(dirname(fileURLToPath(import.meta.url)), '../../../../libs/persistence/test/schema.snapshot.json');

interface SchemaSnapshot {
  readonly columns: string[];
  readonly indexes: string[];
  readonly constraints: string[];
}

async function snapshotOf(database: Database): Promise<SchemaSnapshot> {
  const columns = await database.dataSource.query<{ line: string }[]>(
    `SELECT table_name || '.' || column_name || ' ' || data_type
              || COALESCE('(' || character_maximum_length || ')', '')
              || CASE WHEN is_nullable = 'NO' THEN ' not null' ELSE '' END
              || COALESCE(' default ' || column_default, '') AS line
       FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name <> 'schema_migrations'
      ORDER BY table_name, column_name`,
  );
  const indexes = await database.dataSource.query<{ line: string }[]>(
    `SELECT indexdef AS line FROM pg_indexes WHERE schemaname = 'public' AND tablename <> 'schema_migrations' ORDER BY tablename, indexname`,
  );
  const constraints = await database.dataSource.query<{ line: string }[]>(
    `SELECT rel.relname || ' ' || con.conname || ': ' || pg_get_constraintdef(con.oid) AS line
       FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid JOIN pg_namespace ns ON ns.oid = rel.relnamespace
      WHERE ns.nspname = 'public' AND rel.relname <> 'schema_migrations'
      ORDER BY rel.relname, con.conname`,
  );
  const lines = (rows: { line: string }[]) => rows.map((row) => row.line);
  return { columns: lines(columns), indexes: lines(indexes), constraints: lines(constraints) };
}

/** Table, column, type and nullability: what PGlite and PostgreSQL must agree on whatever their versions print. */
function columnShapes(snapshot: SchemaSnapshot): string[] {
  return snapshot.columns.map((line) => line.replace(/ default .*$/, ''));
}

const needsPostgres = process.env['DATABASE_URL'] ? false : 'needs DATABASE_URL (a real PostgreSQL)';

describe('schema snapshot', { skip: needsPostgres }, () => {
  let scratch: Awaited<ReturnType<typeof createScratchPostgres>>;
  let database: Database;
  let migrated: SchemaSnapshot;

  before(async () => {
    scratch = await createScratchPostgres();
    database = await openDatabase({ kind: 'postgres', url: scratch.url, poolSize: 2 });
    await runMigrations(database);
    migrated = await snapshotOf(database);
    if (process.env['UPDATE_SCHEMA_SNAPSHOT'] === '1') writeFileSync(SNAPSHOT, `${JSON.stringify(migrated, null, 2)}\n`);
  });
  after(async () => {
    await database?.close();
    await scratch?.drop();
  });

  it('the migrated PostgreSQL schema is the committed snapshot (columns, indexes, constraints)', () => {
    const committed = JSON.parse(readFileSync(SNAPSHOT, 'utf8')) as SchemaSnapshot;
    assert.deepEqual(migrated.columns, committed.columns);
    assert.deepEqual(migrated.indexes, committed.indexes);
    assert.deepEqual(migrated.constraints, committed.constraints);
  });

  it('the embedded PGlite database migrates to the same tables and columns', async () => {
    const embedded = await openDatabase({ kind: 'embedded-memory' });
    try {
      await runMigrations(embedded);
      assert.deepEqual(columnShapes(await snapshotOf(embedded)), columnShapes(migrated));
    } finally {
      await embedded.close();
    }
  });
});
