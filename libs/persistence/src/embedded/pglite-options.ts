import { PGlite, type PGliteOptions } from '@electric-sql/pglite';

/**
 * PostgreSQL settings for the embedded database, passed at each start (nothing is written to
 * postgresql.conf, so a later release can change them). PGlite runs PostgreSQL inside one
 * WebAssembly memory that grows and never shrinks, and it touches all of shared_buffers at
 * start: the default 128MB would be half the process's memory. The embedded database is a
 * development and first-run store of a few megabytes with a single connection; 16MB holds
 * its working set, the OS page cache holds the rest of the files. See docs/adr/0006.
 *
 * Durability is PGlite's default and is kept: files are real files under DATA_DIR (Node's
 * file system, no in-memory copy to flush), each commit writes its WAL to them before it
 * returns (synchronous_commit on), and PostgreSQL runs with fsync off (PGlite's `-F`), so a
 * committed transaction survives the process ending in any way, and only an operating-system
 * crash or power loss can take the last moments' commits.
 */
export const EMBEDDED_SETTINGS: readonly (readonly [name: string, value: string])[] = [
  ['shared_buffers', '16MB'],
  // Sorts and index builds (migrations) grow the WebAssembly memory for good: keep peaks small.
  ['maintenance_work_mem', '16MB'],
];

export function embeddedPgliteOptions(): PGliteOptions {
  return {
    startParams: [...PGlite.defaultStartParams, ...EMBEDDED_SETTINGS.flatMap(([name, value]) => ['-c', `${name}=${value}`])],
  };
}
