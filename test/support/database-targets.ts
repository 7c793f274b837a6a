import { randomBytes } from 'node:crypto';
import { before } from 'node:test';
import pg from 'pg';
import { openDatabase, runMigrations, type Database } from '@gatehouse/persistence';
import { scratchDataDir, seededDataDir } from './environments.js';
import { openSharedEmbedded } from './shared-embedded-database.js';

export interface DatabaseTargetCase {
  readonly name: 'PGlite' | 'PostgreSQL';
  /** Set when the target cannot run here; node:test reports the suite as skipped with this reason. */
  readonly skip: string | false;
  open(): Promise<Database>;
}

/**
 * The same repository suites run on both: embedded PGlite always, PostgreSQL when DATABASE_URL is set.
 * Each is the run's shared database: the run's PostgreSQL database, or the test process's embedded one.
 */
export function databaseTargets(): DatabaseTargetCase[] {
  const url = process.env['DATABASE_URL'];
  return [
    { name: 'PGlite', skip: false, open: async () => (await openSharedEmbedded()) ?? openEmbeddedMigrated() },
    {
      name: 'PostgreSQL',
      skip: url ? false : 'needs DATABASE_URL (a real PostgreSQL)',
      open: () => openMigrated({ kind: 'postgres', url: url ?? '', poolSize: 4 }),
    },
  ];
}

export interface IsolatedTarget {
  readonly name: 'PGlite' | 'PostgreSQL';
  readonly skip: string | false;
  /** A migrated database of the suite's own (for suites that consume everything, or revert a migration). */
  open(): Promise<{ database: Database; close: () => Promise<void> }>;
}

/** Like databaseTargets, but each open is a database of its own: PGlite's copy, or a scratch PostgreSQL database dropped at close. */
export function isolatedTargets(): IsolatedTarget[] {
  return [
    {
      name: 'PGlite',
      skip: false,
      open: async () => {
        const database = await openEmbeddedMigrated();
        return { database, close: () => database.close() };
      },
    },
    { name: 'PostgreSQL', skip: postgresSkip(), open: openOwnPostgres },
  ];
}

export interface IsolatedAppTarget {
  readonly name: 'PGlite' | 'PostgreSQL';
  readonly skip: string | false;
  /** A migrated database of the suite's own, and the settings that point an app's configuration at it. */
  open(): Promise<{ database: Database; env: Record<string, string | undefined>; close: () => Promise<void> }>;
}

/**
 * Like isolatedTargets, for suites that also start an app on the same database: PGlite in a DATA_DIR
 * (this process serves it on its socket, and an app opened in the same process joins it), or a
 * scratch PostgreSQL database.
 */
export function isolatedAppTargets(): IsolatedAppTarget[] {
  return [
    {
      name: 'PGlite',
      skip: false,
      open: async () => {
        const dataDir = seededDataDir() ?? scratchDataDir('gh-db-');
        const database = await openMigrated({ kind: 'embedded', dataDir });
        return { database, env: { DATABASE_URL: undefined, DATA_DIR: dataDir }, close: () => database.close() };
      },
    },
    { name: 'PostgreSQL', skip: postgresSkip(), open: openOwnPostgres },
  ];
}

function postgresSkip(): string | false {
  return process.env['DATABASE_URL'] ? false : 'needs DATABASE_URL (a real PostgreSQL)';
}

/** A scratch PostgreSQL database, migrated, dropped at close; `env` points an app at it. */
async function openOwnPostgres(): Promise<{ database: Database; env: Record<string, string>; close: () => Promise<void> }> {
  const scratch = await createScratchPostgres();
  const database = await openMigrated({ kind: 'postgres', url: scratch.url, poolSize: 6 });
  return {
    database,
    env: { DATABASE_URL: scratch.url },
    close: async () => {
      await database.close();
      await scratch.drop();
    },
  };
}

/**
 * A migrated embedded database of its own: a copy of the run's migrated cluster when the runner made
 * one (about 0.5 s), else a new cluster in memory (initdb in WebAssembly: about 4 s).
 */
export async function openEmbeddedMigrated(): Promise<Database> {
  const dataDir = seededDataDir();
  return openMigrated(dataDir ? { kind: 'embedded', dataDir } : { kind: 'embedded-memory' });
}

async function openMigrated(target: Parameters<typeof openDatabase>[0]): Promise<Database> {
  const database = await openDatabase(target);
  await runMigrations(database);
  return database;
}

/**
 * Points `env` at a PostgreSQL database of the suite's own when the run has PostgreSQL (call inside a
 * `describe`: it adds a `before` hook; call `drop()` last in the suite's `after`, once its servers are
 * closed); the apps migrate it when they open it. For suites that read a tenant's whole audit chain or
 * depend on a user's sign-in history: a suite running an audit worker on the shared database records
 * every tenant's outbox. Without DATABASE_URL, a processEnv's DATA_DIR is a copy of its own already, and
 * `overrides()` gives each in-process server a DATA_DIR holding a new copy (never the process's shared database).
 */
export function ownPostgresDatabase(env: NodeJS.ProcessEnv = { DATABASE_URL: process.env['DATABASE_URL'] }): OwnDatabase {
  let scratch: { url: string; drop(): Promise<void> } | undefined;
  before(async () => {
    if (!env['DATABASE_URL']) return;
    scratch = await createScratchPostgres();
    env['DATABASE_URL'] = scratch.url;
  });
  return {
    overrides: (): Record<string, string> => {
      if (scratch) return { DATABASE_URL: scratch.url };
      // On PGlite, a copy of the run's template for each server, rather than the process's shared database.
      const dataDir = seededDataDir();
      return dataDir ? { DATA_DIR: dataDir } : {};
    },
    drop: async () => {
      await scratch?.drop();
    },
  };
}

export interface OwnDatabase {
  /** `{ DATABASE_URL }` for a server's configuration (after the `before` hook), or on PGlite `{ DATA_DIR }` holding a new copy of the run's template. */
  overrides(): Record<string, string>;
  drop(): Promise<void>;
}

/** A scratch PostgreSQL database on the test server, for tests that must start empty (migrations). */
export async function createScratchPostgres(): Promise<{ url: string; drop(): Promise<void> }> {
  const base = process.env['DATABASE_URL'];
  if (!base) throw new Error('DATABASE_URL is not set');
  const name = `gatehouse_scratch_${randomBytes(4).toString('hex')}`;
  await withClient(base, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withClient(base, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Unique per call, valid as a tenant slug: suites share one database per run. */
export function uniqueSlug(prefix = 't'): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

/** PostgreSQL's foreign_key_violation (SQLSTATE 23503), for `assert.rejects`: the schema refused a row naming another tenant's. */
export function isForeignKeyViolation(error: unknown): boolean {
  const { code, driverError } = error as { code?: string; driverError?: { code?: string } };
  return (code ?? driverError?.code) === '23503';
}
