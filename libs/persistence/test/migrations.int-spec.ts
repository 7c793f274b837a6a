import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  openDatabase,
  pendingMigrations,
  revertLastMigration,
  runMigrations,
  type Database,
  type DatabaseTarget,
} from '@gatehouse/persistence';
import { createScratchPostgres } from '../../../test/support/index.js';

/** Every table the migrations create; `schema_migrations` (the ledger) is TypeORM's and stays. */
const TABLES = [
  'apis',
  'audit_chain_heads',
  'audit_outbox',
  'audit_records',
  'authorization_codes',
  'backchannel_logout_jobs',
  'clients',
  'consents',
  'device_authorizations',
  'interactions',
  'passkey_challenges',
  'pushed_authorization_requests',
  'refresh_token_families',
  'refresh_tokens',
  'registration_tokens',
  'revoked_tokens',
  'sessions',
  'siem_dead_letters',
  'siem_sinks',
  'signing_keys',
  'tenants',
  'user_passkeys',
  'user_recovery_codes',
  'user_totp_factors',
  'users',
];

async function tables(database: Database): Promise<string[]> {
  const rows = await database.dataSource.query<{ table_name: string }[]>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name = ANY($1) ORDER BY table_name`,
    [TABLES],
  );
  return rows.map((row) => row.table_name);
}

async function unlistedTables(database: Database): Promise<string[]> {
  const rows = await database.dataSource.query<{ table_name: string }[]>(
    `SELECT table_name FROM information_schema.tables
     WHERE table_schema = 'public' AND table_name <> 'schema_migrations' AND NOT (table_name = ANY($1)) ORDER BY table_name`,
    [TABLES],
  );
  return rows.map((row) => row.table_name);
}

async function upDownUp(target: DatabaseTarget): Promise<void> {
  const database = await openDatabase(target);
  try {
    assert.equal(await pendingMigrations(database), true);
    const first = await runMigrations(database);
    assert.ok(first.applied.length > 0);
    assert.deepEqual(await tables(database), TABLES);
    assert.deepEqual(await unlistedTables(database), [], 'a new table is listed here (and in the schema snapshot)');
    assert.deepEqual((await runMigrations(database)).applied, [], 'a second run applies nothing');

    const appliedCount = async () =>
      (await database.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM schema_migrations`))[0]?.n ?? 0;
    while ((await appliedCount()) > 0) {
      await revertLastMigration(database);
    }
    assert.deepEqual(await tables(database), [], 'down removes every table');
    assert.deepEqual((await runMigrations(database)).applied, first.applied, 'and up again restores them');
    assert.deepEqual(await tables(database), TABLES);
  } finally {
    await database.close();
  }
}

describe('migrations up and down', () => {
  it('on PGlite', async () => {
    await upDownUp({ kind: 'embedded-memory' });
  });

  it('on PostgreSQL', { skip: process.env['DATABASE_URL'] ? false : 'needs DATABASE_URL (a real PostgreSQL)' }, async () => {
    const scratch = await createScratchPostgres();
    try {
      await upDownUp({ kind: 'postgres', url: scratch.url, poolSize: 2 });
    } finally {
      await scratch.drop();
    }
  });

  it(
    'on PostgreSQL, instances starting together apply each migration once',
    { skip: process.env['DATABASE_URL'] ? false : 'needs DATABASE_URL (a real PostgreSQL)' },
    async () => {
      const scratch = await createScratchPostgres();
      const databases = await Promise.all([1, 2, 3].map(() => openDatabase({ kind: 'postgres', url: scratch.url, poolSize: 2 })));
      try {
        const results = await Promise.all(databases.map((database) => runMigrations(database)));
        assert.equal(results.filter((r) => r.applied.length > 0).length, 1);
      } finally {
        await Promise.all(databases.map((database) => database.close()));
        await scratch.drop();
      }
    },
  );
});
