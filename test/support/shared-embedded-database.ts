import type { GatehouseConfig } from '@gatehouse/config';
import { openDatabase, type Database } from '@gatehouse/persistence';
import { scratchDataDir, seededDataDir, testConfig } from './environments.js';

/**
 * Without DATABASE_URL, the in-process servers of one test process share one embedded database,
 * as every suite shares the run's PostgreSQL database when there is one (tenants by
 * `uniqueSlug()`). It is a copy of the run's migrated template that the process opens once and
 * holds; each server joins it through its socket (about 15 ms) instead of copying and opening a
 * cluster of its own (about half a second of CPU, a few hundred times a run). A suite that needs
 * a database of its own asks for one as it does on PostgreSQL (`ownPostgresDatabase`, or its own
 * DATA_DIR or DATABASE_URL), and gets its own copy.
 *
 * Only in the runner's test processes (scripts/test-slot.mjs), which close it after their last file.
 */
export async function testConfigOnSharedDatabase(overrides: Record<string, string | undefined> = {}): Promise<GatehouseConfig> {
  const ownDatabase = overrides['DATA_DIR'] !== undefined || overrides['DATABASE_URL'] !== undefined;
  const shared = ownDatabase ? null : await sharedEmbeddedDataDir();
  if (!shared) return testConfig(overrides);
  return { ...testConfig({ ...overrides, DATA_DIR: scratchDataDir() }), database: { kind: 'embedded', dataDir: shared } };
}

/** The test process's shared embedded database, joined (close it when done), or null where there is none. */
export async function openSharedEmbedded(): Promise<Database | null> {
  const shared = await sharedEmbeddedDataDir();
  return shared ? openDatabase({ kind: 'embedded', dataDir: shared }) : null;
}

let held: Promise<string> | undefined;

function sharedEmbeddedDataDir(): Promise<string> | null {
  const processScratch = process.env['GATEHOUSE_TEST_PROCESS_SCRATCH'];
  if (process.env['DATABASE_URL'] || !process.env['GATEHOUSE_TEST_PGLITE_TEMPLATE'] || !processScratch) return null;
  held ??= hold(processScratch).catch((error: unknown) => {
    held = undefined; // the next file tries again rather than inheriting this failure
    throw error;
  });
  return held;
}

async function hold(processScratch: string): Promise<string> {
  const dataDir = seededDataDir(processScratch);
  if (!dataDir) throw new Error('the run made no PGlite template to copy');
  const database = await openDatabase({ kind: 'embedded', dataDir });
  onProcessEnd(() => database.close());
  return dataDir;
}

/** scripts/test-slot.mjs runs these after the process's last file. */
function onProcessEnd(teardown: () => Promise<void>): void {
  const key = Symbol.for('gatehouse.test.processEnd');
  const registry = globalThis as unknown as Record<symbol, (() => Promise<void>)[] | undefined>;
  (registry[key] ??= []).push(teardown);
}
