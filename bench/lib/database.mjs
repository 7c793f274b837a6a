// A fresh PostgreSQL database per run, migrated with the build's own migrator, dropped at the end.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';

async function withAdmin(adminUrl, fn) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates `gh_bench_<label>_<random>` on the server of `adminUrl`; returns its URL and `drop()`. */
export async function createDatabase(adminUrl, label) {
  const name = `gh_bench_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  await withAdmin(adminUrl, (db) => db.query(`CREATE DATABASE "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.href,
    drop: () => withAdmin(adminUrl, (db) => db.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)),
  };
}

/** ANALYZE of the whole database: the statistics autovacuum would have gathered by now on a production server. */
export function analyze(url) {
  return withAdmin(url, (db) => db.query('ANALYZE'));
}

/** Runs every migration of the build in `root`/dist (as scripts/run-tests.mjs does). */
export async function migrate(root, url) {
  const { openDatabase, runMigrations } = await import(pathToFileURL(join(root, 'dist/libs/persistence/src/index.js')).href);
  const db = await openDatabase({ kind: 'postgres', url, poolSize: 2 });
  try {
    await runMigrations(db);
  } finally {
    await db.close();
  }
}
