import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDir } from '@gatehouse/config';

/** Who serves the embedded database in DATA_DIR, so a second process (the CLI) connects instead of opening it twice. */
export interface EmbeddedLock {
  readonly pid: number;
  readonly socketDir: string;
  readonly port: number;
}

const LOCK_FILE = 'pglite.lock';

export function readLiveLock(dataDir: string): EmbeddedLock | null {
  let lock: EmbeddedLock;
  try {
    lock = JSON.parse(readFileSync(join(dataDir, LOCK_FILE), 'utf8')) as EmbeddedLock;
  } catch {
    return null;
  }
  return isAlive(lock.pid) ? lock : null;
}

/** Takes the lock atomically; returns false when another live process holds it. */
export function acquireLock(dataDir: string, lock: EmbeddedLock): boolean {
  ensurePrivateDir(dataDir);
  const path = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, JSON.stringify(lock), { flag: 'wx', mode: 0o600 });
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (readLiveLock(dataDir)) return false;
      unlinkSync(path); // stale: its process is gone
    }
  }
  return false;
}

export function releaseLock(dataDir: string, pid: number): void {
  const path = join(dataDir, LOCK_FILE);
  try {
    const lock = JSON.parse(readFileSync(path, 'utf8')) as EmbeddedLock;
    if (lock.pid === pid) unlinkSync(path);
  } catch {
    // already gone
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
