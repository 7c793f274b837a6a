import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { ensurePrivateDir, PRIVATE_FILE_MODE, tightenTree } from '@gatehouse/config';
import { ensureCluster } from './cluster.js';
import { acquireLock, readLiveLock, releaseLock, type EmbeddedLock } from './embedded-lock.js';
import { embeddedPgliteOptions } from './pglite-options.js';

const SOCKET_PORT = 5432;
/** sun_path is 108 bytes on Linux; leave room for "/.s.PGSQL.5432". */
const MAX_SOCKET_DIR_LENGTH = 90;

export interface EmbeddedEndpoint {
  /** Where `pg` connects: a directory holding the Unix socket `.s.PGSQL.<port>`. */
  readonly socketDir: string;
  readonly port: number;
  /** True when this process opened the database; false when it joined another process's server. */
  readonly owner: boolean;
  close(): Promise<void>;
}

/**
 * PGlite (PostgreSQL compiled to WebAssembly) keeps its files in DATA_DIR/pglite.
 * It is served on a private Unix socket (mode 0700 directory, no TCP port), and the
 * owner records the socket in DATA_DIR so the CLI joins it rather than opening the
 * files a second time. `dataDir` of `memory://` keeps everything in memory (tests).
 * A new cluster is created by a short-lived child process (see cluster.ts), and PostgreSQL
 * runs with small buffers (pglite-options.ts): memory, docs/adr/0006.
 * DATA_DIR and everything the database writes in it are private to this user (0700/0600),
 * whatever modes they had before (issue 10 item 12): PGlite itself writes its files 0666.
 */
export async function openEmbeddedPostgres(dataDir: string): Promise<EmbeddedEndpoint> {
  const inMemory = dataDir === 'memory://';
  if (!inMemory) {
    const existing = readLiveLock(dataDir);
    if (existing) return joined(existing);
  }

  if (!inMemory) ensurePrivateDir(dataDir);
  const socketDir = socketDirectoryFor(inMemory ? null : dataDir);
  const lock: EmbeddedLock = { pid: process.pid, socketDir, port: SOCKET_PORT };
  if (!inMemory && !acquireLock(dataDir, lock)) {
    const holder = readLiveLock(dataDir);
    if (holder) return joined(holder);
    throw new Error(`The embedded database in ${dataDir} is locked by another process`);
  }

  try {
    if (!inMemory) await ensureCluster(join(dataDir, 'pglite'));
    const db = await PGlite.create(inMemory ? 'memory://' : join(dataDir, 'pglite'), embeddedPgliteOptions());
    // PGlite unpacks a new cluster 0666 and rewrites some files at each start; PostgreSQL
    // creates later files 0600 by itself.
    if (!inMemory) tightenTree(join(dataDir, 'pglite'));
    const socketPath = join(socketDir, `.s.PGSQL.${SOCKET_PORT}`);
    const server = new PGLiteSocketServer({ db, path: socketPath, maxConnections: 8 });
    await server.start();
    chmodSync(socketPath, PRIVATE_FILE_MODE);
    return {
      socketDir,
      port: SOCKET_PORT,
      owner: true,
      close: async () => {
        await server.stop();
        await db.close();
        rmSync(socketDir, { recursive: true, force: true });
        if (!inMemory) releaseLock(dataDir, process.pid);
      },
    };
  } catch (error) {
    if (!inMemory) releaseLock(dataDir, process.pid);
    throw error;
  }
}

function joined(lock: EmbeddedLock): EmbeddedEndpoint {
  return { socketDir: lock.socketDir, port: lock.port, owner: false, close: () => Promise.resolve() };
}

function socketDirectoryFor(dataDir: string | null): string {
  if (dataDir) {
    const candidate = join(dataDir, 'run');
    if (candidate.length <= MAX_SOCKET_DIR_LENGTH) {
      rmSync(candidate, { recursive: true, force: true });
      ensurePrivateDir(candidate);
      return candidate;
    }
  }
  return mkdtempSync(join(tmpdir(), 'gatehouse-pg-'));
}
