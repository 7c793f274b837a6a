import {
  closeSync,
  constants,
  copyFileSync,
  existsSync,
  ftruncateSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadConfig, type GatehouseConfig } from '@gatehouse/config';

/**
 * A private DATA_DIR per test, so embedded databases and generated keys never collide. Under the
 * test file's scratch directory (GATEHOUSE_TEST_SCRATCH), which the runner removes when the file
 * ends: an embedded cluster is 40 MB, and a run without services makes a few hundred of them.
 */
export function scratchDataDir(prefix = 'gh-test-'): string {
  return mkdtempSync(join(process.env['GATEHOUSE_TEST_SCRATCH'] ?? tmpdir(), prefix));
}

/**
 * The environment a spawned Gatehouse process gets: the run's DATABASE_URL and
 * REDIS_URL when the runner set them (or none, for the embedded defaults), a
 * scratch DATA_DIR, free ports.
 */
export function processEnv(overrides: Record<string, string | undefined> = {}, options: { embedded?: boolean } = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATA_DIR: scratchDataDir(),
    AUTHORIZATION_PORT: '0',
    ADMIN_PORT: '0',
    WORKER_PORT: '0',
    LISTEN_HOST: '127.0.0.1',
    // A developer's .env must not reach the processes a test starts.
    ENV_FILE: '',
  };
  if (!options.embedded) {
    if (process.env['KEY_ENCRYPTION_KEY']) env['KEY_ENCRYPTION_KEY'] = process.env['KEY_ENCRYPTION_KEY'];
    if (process.env['DATABASE_URL']) env['DATABASE_URL'] = process.env['DATABASE_URL'];
    if (process.env['REDIS_URL']) env['REDIS_URL'] = process.env['REDIS_URL'];
  }
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  if (!options.embedded && !env['DATABASE_URL'] && overrides['DATA_DIR'] === undefined) seedEmbeddedDatabase(env['DATA_DIR']!);
  return env;
}

/**
 * Without DATABASE_URL the apps open PGlite in DATA_DIR, and creating that cluster (initdb in
 * WebAssembly) and migrating it takes about 4 s. The test runner makes one migrated cluster per
 * run (GATEHOUSE_TEST_PGLITE_TEMPLATE); a test's DATA_DIR starts as a copy of it, which opens in
 * well under a second. Suites about the first start on the embedded defaults pass `embedded: true`
 * and get an empty DATA_DIR, as a new user does.
 */
function seedEmbeddedDatabase(dataDir: string): void {
  const template = process.env['GATEHOUSE_TEST_PGLITE_TEMPLATE'];
  if (template) copyCluster(template, join(dataDir, 'pglite'), unusedDatabases(template));
}

/**
 * A cluster is 40 MB, copied a few hundred times a run: the databases the apps never open
 * (template0 and template1; the runner lists them) are hard links, never written, and the
 * WAL segment's unused zero blocks stay holes.
 */
function copyCluster(from: string, to: string, linked: ReadonlySet<string>, relative = '', link = false): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const path = relative ? `${relative}/${entry.name}` : entry.name;
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    const linkHere = link || linked.has(path);
    if (entry.isDirectory()) copyCluster(source, target, linked, path, linkHere);
    else if (linkHere) linkSync(source, target);
    else if (relative === 'pg_wal') copySparse(source, target);
    else copyFileSync(source, target, constants.COPYFILE_FICLONE);
  }
}

const BLOCK = 64 * 1024;
const ZEROS = Buffer.alloc(BLOCK);

function copySparse(from: string, to: string): void {
  const block = Buffer.alloc(BLOCK);
  const source = openSync(from, 'r');
  const target = openSync(to, 'w', 0o600);
  try {
    let position = 0;
    for (let read = readSync(source, block, 0, BLOCK, position); read > 0; read = readSync(source, block, 0, BLOCK, position)) {
      if (!block.subarray(0, read).equals(ZEROS.subarray(0, read))) writeSync(target, block, 0, read, position);
      position += read;
    }
    ftruncateSync(target, position);
  } finally {
    closeSync(source);
    closeSync(target);
  }
}

let unusedDatabasesOf: { template: string; paths: ReadonlySet<string> } | undefined;

function unusedDatabases(template: string): ReadonlySet<string> {
  if (unusedDatabasesOf?.template !== template) {
    const manifest = join(dirname(template), 'unused-databases.json');
    const paths = existsSync(manifest) ? (JSON.parse(readFileSync(manifest, 'utf8')) as string[]) : [];
    unusedDatabasesOf = { template, paths: new Set(paths) };
  }
  return unusedDatabasesOf.paths;
}

/** A scratch DATA_DIR holding a copy of the run's migrated cluster, or null when the runner made none. */
export function seededDataDir(parent?: string): string | null {
  if (!process.env['GATEHOUSE_TEST_PGLITE_TEMPLATE']) return null;
  // Under the test file's scratch directory, or under `parent` for one that outlives the file.
  const dataDir = parent ? mkdtempSync(join(parent, 'gh-db-')) : scratchDataDir('gh-db-');
  seedEmbeddedDatabase(dataDir);
  return dataDir;
}

/** In-process configuration with the same rules as a spawned process. */
export function testConfig(overrides: Record<string, string | undefined> = {}, options: { embedded?: boolean } = {}): GatehouseConfig {
  return loadConfig(processEnv(overrides, options));
}
