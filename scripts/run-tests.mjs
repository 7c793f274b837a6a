// The test command: every unit, integration and end-to-end suite, compiled in dist/.
// With DATABASE_URL it creates a fresh database for the run (migrated once, dropped
// at the end); without it the suites use embedded PGlite. Ends with "N passed, M failed, K skipped".
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const TEST_FILE = /\.(spec|int-spec|e2e-spec)\.js$/;

function findTests(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : findTests(path);
    return TEST_FILE.test(entry.name) ? [path] : [];
  });
}

const filter = process.argv.slice(2);
const files = findTests(dist)
  .filter((file) => filter.length === 0 || filter.some((f) => relative(dist, file).includes(f)))
  .sort();

if (files.length === 0) {
  process.stdout.write(`no test file matches ${filter.join(' ')}\n\n0 passed, 1 failed, 0 skipped\n`);
  process.exit(1);
}
// One process per core, at most 3: on 2 cores a third process only shares them (measured: more CPU, no shorter run).
const concurrency = Number(process.env.TEST_CONCURRENCY ?? Math.min(3, availableParallelism()));
if (!Number.isInteger(concurrency) || concurrency < 1) {
  process.stdout.write(
    `TEST_CONCURRENCY must be a whole number of at least 1, not ${process.env.TEST_CONCURRENCY}\n\n0 passed, 1 failed, 0 skipped\n`,
  );
  process.exit(1);
}

// The files share a few long-lived processes (scripts/test-slot.mjs), each taking the next file
// when it is done with one. Longest first, so that no process is left with a long file at the end:
// by the last measured durations (scripts/test-durations.json), a new file by its kind's typical time.
const durations = readDurations(join(root, 'scripts', 'test-durations.json'));
const TYPICAL_SECONDS = [
  [/\.e2e-spec\.js$/, 5],
  [/\.int-spec\.js$/, 3],
  [/\.spec\.js$/, 0.2],
];
const expectedSeconds = (name) => durations[name] ?? TYPICAL_SECONDS.find(([pattern]) => pattern.test(name))?.[1] ?? 1;
const UNIT = /\.spec\.js$/; // not .int-spec or .e2e-spec
const queue = files
  .map((file) => ({ path: file, name: relative(root, file), needsDatabase: !UNIT.test(file) }))
  .sort((a, b) => expectedSeconds(b.name) - expectedSeconds(a.name) || a.name.localeCompare(b.name));

/** Only an order: a missing or unreadable file (an interrupted refresh) orders by kind alone. */
function readDurations(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return {};
  }
}

const scratch = mkdtempSync(join(tmpdir(), 'gatehouse-test-'));
const env = { ...process.env, NODE_ENV: 'test', DATA_DIR: join(scratch, 'data'), LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' };
// The suites' own DATA_DIRs (test/support scratchDataDir) go here too: the test processes give each
// file a directory of its own in it, removed when the file ends.
env.GATEHOUSE_TEST_SCRATCH = scratch;
// One key-encryption key for the whole run: suites share the database (and its `system` tenant),
// as instances of one deployment share their KEY_ENCRYPTION_KEY.
env.KEY_ENCRYPTION_KEY = randomBytes(32).toString('base64');

let database;
const templateDir = join(scratch, 'pglite-template');
if (process.env.DATABASE_URL) {
  const name = `gatehouse_test_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `/${name}`;
  database = { adminUrl: process.env.DATABASE_URL, name };
  env.DATABASE_URL = url.toString();
  process.stdout.write(`Using fresh PostgreSQL database ${name}\n`);
} else {
  process.stdout.write('DATABASE_URL is not set: PostgreSQL suites are skipped, repository suites run on embedded PGlite\n');
  // One migrated PGlite cluster for the run: the test servers' DATA_DIRs start as copies of it
  // (test/support/environments.ts), instead of each creating and migrating its own.
  env.GATEHOUSE_TEST_PGLITE_TEMPLATE = join(templateDir, 'pglite');
}
if (!process.env.REDIS_URL) process.stdout.write('REDIS_URL is not set: Redis suites are skipped\n');

/** Makes the run's database: a fresh PostgreSQL database, or the PGlite template, migrated. */
async function prepareDatabase() {
  const { openDatabase, runMigrations } = await import(join(dist, 'libs/persistence/src/index.js'));
  if (database) {
    const { default: pg } = await import('pg');
    const admin = new pg.Client({ connectionString: database.adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${database.name}"`);
    await admin.end();
  }
  const db = await openDatabase(
    database ? { kind: 'postgres', url: env.DATABASE_URL, poolSize: 2 } : { kind: 'embedded', dataDir: templateDir },
  );
  await runMigrations(db);
  if (!database) {
    // The databases the apps never open (template0, template1): test/support's copy links their files instead.
    const unused = await db.dataSource.query(`SELECT oid::text AS oid FROM pg_database WHERE datname <> current_database()`);
    writeFileSync(join(templateDir, 'unused-databases.json'), JSON.stringify(unused.map(({ oid }) => `base/${oid}`)));
  }
  await db.close();
}

// The processes start while the database is prepared (test-slot.mjs takes unit files until then).
const summaryFile = join(scratch, 'summary.json');
const queueDir = join(scratch, 'queue');
mkdirSync(join(queueDir, 'claims'), { recursive: true });
writeFileSync(join(queueDir, 'files.json'), JSON.stringify(queue));
env.GATEHOUSE_TEST_QUEUE = queueDir;
const processes = Array.from({ length: Math.min(concurrency, queue.length) }, (_, index) => {
  const entry = join(queueDir, `process-${index + 1}.mjs`);
  writeFileSync(entry, `import ${JSON.stringify(join(root, 'scripts', 'test-slot.mjs'))};\n`);
  return entry;
});
const child = spawn(
  process.execPath,
  [
    ...(process.env.TEST_NODE_FLAGS ?? '').split(' ').filter(Boolean),
    '--test',
    `--test-concurrency=${processes.length}`,
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    `--test-reporter=${join(root, 'scripts', 'summary-reporter.mjs')}`,
    `--test-reporter-destination=${summaryFile}`,
    ...(process.env.TEST_TIMINGS
      ? [`--test-reporter=${join(root, 'scripts', 'timing-reporter.mjs')}`, `--test-reporter-destination=${process.env.TEST_TIMINGS}`]
      : []),
    ...processes,
  ],
  { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] },
);
const exited = new Promise((resolve) => child.on('exit', (status) => resolve(status ?? 1)));
let code;
try {
  if (queue.some((entry) => entry.needsDatabase)) await prepareDatabase();
  writeFileSync(join(queueDir, 'database-ready'), '');
  code = await exited;
} catch (error) {
  process.stdout.write(`\ncould not prepare the run's database: ${error.message}\n`);
  child.kill();
  await exited;
  code = 1;
}

if (database) {
  const { default: pg } = await import('pg');
  const admin = new pg.Client({ connectionString: database.adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${database.name}" WITH (FORCE)`).catch((error) => {
    process.stdout.write(`could not drop ${database.name}: ${error.message}\n`);
  });
  await admin.end();
}

let summary = { passed: 0, failed: 1, skipped: 0, failures: ['the test runner produced no summary'] };
try {
  summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
} catch {
  // keep the failing default
}
rmSync(scratch, { recursive: true, force: true });
// A file that ended its process early (process.exit) took the files after it in that process along.
const unreported = summary.files ? queue.filter((entry) => !summary.files.includes(entry.name)) : [];
if (unreported.length > 0) {
  summary.failed += unreported.length;
  summary.failures.push(...unreported.map((entry) => `${entry.name} :: did not run to its end`));
}
if (summary.failures.length > 0) process.stdout.write(`\nFailed:\n${summary.failures.map((f) => `  ${f}`).join('\n')}\n`);
if (code !== 0 && summary.failed === 0) summary.failed = 1; // a crash outside any test still fails the run
process.stdout.write(`\n${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped\n`);
process.exit(summary.failed > 0 ? 1 : 0);
